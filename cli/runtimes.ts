/**
 * The runtime backends the command can use, by name (`--runtime`). Each is a plugin; the CLI is the one
 * place that knows them all. A backend's module is loaded only when a command asks for it, so commands
 * that run nothing (`--help`, `pretty`, `show`) never load the Docker client.
 */
import type { Plugin } from '../core/index.ts';
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
 * The plugins a runtime needs to run native functions: the esbuild bundler for real containers (loaded
 * only then); none for the fake, which calls them in-process.
 */
export async function nativePlugins(name: string): Promise<Plugin[]> {
  return name === 'fake' ? [] : [(await import('../plugins/native-bundle/index.ts')).nativeBundle()];
}

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
