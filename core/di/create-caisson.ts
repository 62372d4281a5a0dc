/**
 * Wires Caisson from plugins with tsyringe. DI stays in this folder: the engine and providers are plain
 * classes, and the `@inject` tokens for the engine's constructor are applied here, explicitly, because
 * tsx/esbuild emit no decorator metadata (see DOCKER.md's toolchain notes).
 */
import 'reflect-metadata';
import { container as rootContainer, inject, injectable, type DependencyContainer } from 'tsyringe';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import type { Clock } from '../engine/clock.ts';
import { systemClock } from '../engine/clock.ts';
import type { RuntimeProvider } from '../runtime/contract.ts';
import { CaissonError } from '../errors.ts';
import { ImageService } from '../image/image-service.ts';
import type { ImageBuilder } from '../image/contract.ts';
import type { ImageKind } from '../image/kind.ts';
import { Tokens } from './tokens.ts';
import type { Plugin } from './plugin.ts';

// Constructor parameter i of Engine is resolved from these tokens, in order.
const engineParams = [Tokens.Runtime, Tokens.Clock, Tokens.EngineOptions];
engineParams.forEach((token, index) => inject(token)(Engine, undefined, index));
injectable()(Engine);

/** Options for createCaisson. */
export interface CaissonOptions {
  /** Plugins to register, in order; a later registration of the same token wins. Must include one runtime. */
  plugins: Plugin[];
  /** Capacity Exec nodes reserve from (defaults: the host's cores and memory). */
  capacity?: EngineOptions['capacity'];
  /** Parent container; a child of it is used, so a test can swap providers without touching the parent. */
  parent?: DependencyContainer;
}

/** A wired Caisson instance. */
export interface Caisson {
  /** The DI container (a child container: register fakes here to override plugin providers). */
  readonly container: DependencyContainer;
  /** The runtime provider the plugins registered. */
  readonly runtime: RuntimeProvider;
  /** The engine, resolved with its injected runtime, clock and options. */
  readonly engine: Engine;
  /**
   * Resolves a pipeline's images before a run: `await caisson.images.resolveAll(ir, { onEvent })` builds
   * what is missing (kinds and builder from the plugins) and returns name → { ref, id, shell, workdir },
   * which createRun takes as its images as it is.
   */
  readonly images: ImageService;
}

/**
 * Builds a Caisson instance from plugins.
 *
 * ```ts
 * const { engine } = createCaisson({ plugins: [dockerRuntime()] });
 * const result = await engine.createRun(compile(myPipeline)).start();
 * ```
 */
export function createCaisson(options: CaissonOptions): Caisson {
  const container = (options.parent ?? rootContainer).createChildContainer();
  container.register<Clock>(Tokens.Clock, { useValue: systemClock });
  container.register<EngineOptions>(Tokens.EngineOptions, { useValue: { capacity: options.capacity } });
  for (const plugin of options.plugins) {
    try {
      plugin.register?.(container);
    } catch (e) {
      throw new CaissonError('PLUGIN', `plugin "${plugin.name}" failed to register: ${(e as Error).message}`, { cause: e });
    }
  }
  if (!container.isRegistered(Tokens.Runtime, true)) {
    throw new CaissonError('PLUGIN', `no runtime provider: add a runtime plugin (dockerRuntime() from "caisson/docker", or fakeRuntime() from "caisson/testing") to createCaisson({ plugins })`);
  }
  const runtime = container.resolve<RuntimeProvider>(Tokens.Runtime);
  const engine = container.resolve(Engine);
  return { container, runtime, engine, images: imageService(options.plugins, container) };
}

/** The image service from the plugins' image kinds and the registered builder (neither is needed for reference-only pipelines). */
function imageService(plugins: readonly Plugin[], container: DependencyContainer): ImageService {
  const kinds: ImageKind[] = plugins.flatMap((p) => p.imageKinds ?? []);
  const owners = new Map<string, string>();
  for (const p of plugins) {
    for (const k of p.imageKinds ?? []) {
      const other = owners.get(k.kind);
      if (other !== undefined) throw new CaissonError('PLUGIN', `plugins "${other}" and "${p.name}" both add an image kind "${k.kind}"; register only one of them`);
      owners.set(k.kind, p.name);
    }
  }
  const builder = container.isRegistered(Tokens.ImageBuilder, true) ? container.resolve<ImageBuilder>(Tokens.ImageBuilder) : undefined;
  return new ImageService(kinds, builder);
}
