/**
 * Wires Caisson from plugins with tsyringe. DI stays in this folder: plugins are plain objects
 * (plugin.ts), the engine and providers are plain classes, and the `@inject` tokens for their
 * constructors are applied here, explicitly, because tsx/esbuild emit no decorator metadata.
 */
import 'reflect-metadata';
import { container as rootContainer, inject, injectable } from 'tsyringe';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import { systemClock } from '../engine/clock.ts';
import type { RuntimeProvider } from '../runtime/contract.ts';
import { PluginError } from '../errors.ts';
import { ImageService } from '../image/image-service.ts';
import type { ImageBuilder } from '../image/contract.ts';
import type { ImageKind } from '../image/kind.ts';
import { Tokens } from './tokens.ts';
import type { NativeBundler } from '../native/contract.ts';
import type { Plugin } from './plugin.ts';
import { collectContributions, SLOTS, type Contributions } from './slots.ts';

// Constructor parameter i of Engine is resolved from these tokens, in order.
const engineParams = [Tokens.Runtime, Tokens.Clock, Tokens.EngineOptions];
engineParams.forEach((token, index) => inject(token)(Engine, undefined, index));
injectable()(Engine);

/** Options for createCaisson. */
export interface CaissonOptions {
  /** Plugins whose contributions are wired in; one slot (the runtime, an image kind) takes one plugin's. */
  plugins: readonly Plugin[];
  /** Capacity Exec nodes reserve from (defaults: the parent's, else the host's cores and memory). */
  capacity?: EngineOptions['capacity'];
  /**
   * A Caisson whose contributions this one starts from; `plugins` then replace them slot by slot, so a
   * test can swap one provider (`createCaisson({ parent, plugins: [fakeRuntime(fake)] })`) and keep the rest.
   */
  parent?: Caisson;
}

/** A wired Caisson instance. */
export interface Caisson {
  /** The runtime provider a plugin contributed. */
  readonly runtime: RuntimeProvider;
  /** The engine, made with the contributed runtime and clock and the capacity. */
  readonly engine: Engine;
  /**
   * Resolves a pipeline's images before a run: `await caisson.images.resolveAll(ir, { onEvent })` builds
   * what is missing (kinds and builder from the plugins) and returns name → { ref, id, shell, workdir },
   * which createRun takes as its images as it is.
   */
  readonly images: ImageService;
}

// What each Caisson was wired from, for children (kept off the public object).
const wiring = new WeakMap<Caisson, { contributions: Contributions; capacity: EngineOptions['capacity'] }>();

/**
 * Builds a Caisson instance from plugins.
 *
 * ```ts
 * const { engine } = createCaisson({ plugins: [dockerRuntime()] });
 * const result = await engine.createRun(compile(myPipeline)).start();
 * ```
 */
export function createCaisson(options: CaissonOptions): Caisson {
  const inherited = options.parent ? wiring.get(options.parent) : undefined;
  if (options.parent && !inherited) throw new PluginError('createCaisson: parent must be a Caisson made by createCaisson()', { plugins: [] });
  const contributions = collectContributions(options.plugins, inherited?.contributions);
  if (!contributions.has('runtime')) {
    throw new PluginError('no runtime provider: add a runtime plugin (dockerRuntime() from "caisson/docker", or fakeRuntime() from "caisson/testing") to createCaisson({ plugins })', { plugins: [], slot: 'runtime' });
  }
  const capacity = options.capacity ?? inherited?.capacity;
  const container = rootContainer.createChildContainer();
  container.register(Tokens.Clock, { useValue: systemClock });
  const nativeBundler = contributions.get('nativeBundler')?.value as NativeBundler | undefined;
  container.register<EngineOptions>(Tokens.EngineOptions, { useValue: { capacity, nativeBundler } });
  for (const { slot, value } of contributions.values()) {
    const token = SLOTS.get(slot)!.token;
    if (token) container.register(token, { useValue: value });
  }
  // Image kinds are data for the service's kind table, not DI registrations.
  const kinds = [...contributions.values()].filter((c) => c.slot === 'imageKinds').map((c) => c.value as ImageKind);
  const builder = contributions.get('imageBuilder')?.value as ImageBuilder | undefined;
  const caisson: Caisson = {
    runtime: container.resolve<RuntimeProvider>(Tokens.Runtime),
    engine: container.resolve(Engine),
    images: new ImageService(kinds, builder),
  };
  wiring.set(caisson, { contributions, capacity });
  return caisson;
}
