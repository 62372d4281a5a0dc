/**
 * Wires Caisson from plugins with tsyringe. DI stays in this folder: the engine and providers are plain
 * classes, and the `@inject` tokens for the engine's constructor are applied here, explicitly, because
 * tsx/esbuild emit no decorator metadata (see DOCKER.md's toolchain notes).
 */
import 'reflect-metadata';
import { container as rootContainer, inject, injectAll, injectable, type DependencyContainer } from 'tsyringe';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import type { Clock } from '../engine/clock.ts';
import { systemClock } from '../engine/clock.ts';
import type { RuntimeProvider } from '../runtime/contract.ts';
import { PluginError } from '../errors.ts';
import { ImageService } from '../image/image-service.ts';
import type { ImageBuilder, ImageProvider } from '../image/contract.ts';
import { Tokens } from './tokens.ts';
import type { Plugin } from './plugin.ts';

// Constructor parameter i of Engine is resolved from these tokens, in order.
const engineParams = [Tokens.Runtime, Tokens.Clock, Tokens.EngineOptions];
engineParams.forEach((token, index) => inject(token)(Engine, undefined, index));
injectable()(Engine);

// ImageService gets every registered provider (injectAll) and the one builder.
injectAll(Tokens.ImageProviders)(ImageService, undefined, 0);
inject(Tokens.ImageBuilder)(ImageService, undefined, 1);
injectable()(ImageService);

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
   * what is missing (providers and builder from the plugins) and returns name → { ref, id, shell, workdir };
   * pass `Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, v.ref]))` as createRun's images.
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
      plugin.register(container);
    } catch (e) {
      throw new PluginError(`plugin "${plugin.name}" failed to register: ${(e as Error).message}`, { plugins: [plugin.name], cause: e });
    }
  }
  if (!container.isRegistered(Tokens.Runtime, true)) {
    throw new PluginError('no runtime provider: add a runtime plugin (dockerRuntime() from "caisson/docker", or fakeRuntime() from "caisson/testing") to createCaisson({ plugins })', { plugins: [], slot: 'runtime' });
  }
  const runtime = container.resolve<RuntimeProvider>(Tokens.Runtime);
  const engine = container.resolve(Engine);
  return { container, runtime, engine, images: resolveImageService(container) };
}

/** The image service from whatever image plugins were registered (none is fine for reference-only pipelines). */
function resolveImageService(container: DependencyContainer): ImageService {
  const hasProviders = container.isRegistered(Tokens.ImageProviders, true);
  const hasBuilder = container.isRegistered(Tokens.ImageBuilder, true);
  if (hasProviders && hasBuilder) return container.resolve(ImageService);
  return new ImageService(
    hasProviders ? container.resolveAll<ImageProvider>(Tokens.ImageProviders) : [],
    hasBuilder ? container.resolve<ImageBuilder>(Tokens.ImageBuilder) : undefined,
  );
}
