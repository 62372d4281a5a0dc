/**
 * The runtime backends the command can use, by name (`--runtime`). Each is a plugin; the CLI is the one
 * place that knows them all. A backend's module is loaded only when a command asks for it, so commands
 * that run nothing (`--help`, `pretty`, `show`) never load the Docker client.
 */
import type { Plugin, RuntimeDebug, RuntimeProvider } from '../core/index.ts';
import { UsageError } from './usage-error.ts';

/** What a runtime may need to know about the pipeline it runs. */
export interface RuntimeContext {
  /** The pipeline file's folder: where relative host paths in dockerRunArgs start. */
  baseDir?: string;
}

const RUNTIMES: Record<string, (ctx: RuntimeContext) => Promise<Plugin>> = {
  // The CLI handles SIGINT/SIGTERM itself (cancel, clean up, summary), so the provider must not exit first.
  docker: async (ctx) => (await import('../plugins/runtime-docker/index.ts'))
    .dockerRuntime({ handleSignals: false, ...(ctx.baseDir !== undefined && { baseDir: ctx.baseDir }) }),
  // The same containers as Swarm services on the manager DOCKER_HOST names, images through CAISSON_REGISTRY.
  swarm: async () => (await import('../plugins/runtime-docker/index.ts'))
    .dockerSwarm({ handleSignals: false }),
  // Every Exec succeeds at once with no output: a quick check of the tree's shape and order. Declared
  // outputs come out as empty folders, so their consumers run too.
  fake: async () => {
    const { fakeRuntime, FakeRuntimeProvider } = await import('../plugins/runtime-fake/index.ts');
    const fake = new FakeRuntimeProvider();
    fake.placeholderOutputs = true;
    return fakeRuntime(fake);
  },
};

/**
 * The plugins a runtime needs to run native functions: the esbuild bundler (loaded only then) when its
 * containers run bundles; none when it calls them in-process (the fake).
 */
export async function nativePlugins(runtime: RuntimeProvider): Promise<Plugin[]> {
  return runtime.capabilities.native === 'in-process' ? [] : [(await import('../plugins/native-bundle/index.ts')).nativeBundle()];
}

/** The runtime `caisson run` uses without --runtime, and `caisson debug` of a pipeline file. */
export const DEFAULT_RUNTIME = 'docker';

/** Names accepted by --runtime. */
export const RUNTIME_NAMES = Object.keys(RUNTIMES);

/** Refuses an unknown --runtime name (a UsageError listing the known ones), before anything is loaded. */
export function checkRuntimeName(name: string): void {
  if (!Object.hasOwn(RUNTIMES, name)) throw new UsageError(`unknown runtime "${name}"; choose one of: ${RUNTIME_NAMES.join(', ')}`, { option: '--runtime' });
}

/** The plugin for a --runtime name, for a pipeline in `ctx.baseDir`. */
export async function runtimePlugin(name: string, ctx: RuntimeContext = {}): Promise<Plugin> {
  checkRuntimeName(name);
  return RUNTIMES[name]!(ctx);
}

/**
 * The provider of a --runtime name (or a record's runtime), to ask its capabilities or debug shells;
 * loaded as runtimePlugin loads it.
 */
export async function runtimeProvider(name: string, ctx: RuntimeContext = {}): Promise<RuntimeProvider> {
  return (await runtimePlugin(name, ctx)).runtime!;
}

/**
 * The debug shells of the runtime named `name` (a record's, or the default for a pipeline file); a
 * UsageError naming it when it has none, saying what to do instead.
 */
export async function debugShells(name: string, instead: string): Promise<{ runtime: RuntimeProvider; debug: RuntimeDebug }> {
  const runtime = await runtimeProvider(name);
  if (!runtime.debug) throw new UsageError(`the ${name} runtime cannot open debug shells; ${instead}`);
  return { runtime, debug: runtime.debug };
}
