/**
 * The runtime backends the command can use, by name (`--runtime`). Each is a plugin; the CLI is the one
 * place that knows them all.
 */
import type { Plugin } from '../core/index.ts';
import { dockerRuntime } from '../plugins/runtime-docker/index.ts';
import { fakeRuntime } from '../plugins/runtime-fake/index.ts';
import { UsageError } from './usage-error.ts';

/** What a runtime may need to know about the pipeline it runs. */
export interface RuntimeContext {
  /** The pipeline file's folder: where relative host paths in dockerRunArgs start. */
  baseDir?: string;
}

const RUNTIMES: Record<string, (ctx: RuntimeContext) => Plugin> = {
  // The CLI handles SIGINT/SIGTERM itself (cancel, clean up, summary), so the provider must not exit first.
  docker: (ctx) => dockerRuntime({ handleSignals: false, ...(ctx.baseDir !== undefined && { baseDir: ctx.baseDir }) }),
  // Every Exec succeeds at once with no output: a quick check of the tree's shape and order.
  fake: () => fakeRuntime(),
};

/** Names accepted by --runtime. */
export const RUNTIME_NAMES = Object.keys(RUNTIMES);

/** The plugin for a --runtime name, for a pipeline in `ctx.baseDir`. */
export function runtimePlugin(name: string, ctx: RuntimeContext = {}): Plugin {
  const make = RUNTIMES[name];
  if (!make) throw new UsageError(`unknown runtime "${name}"; choose one of: ${RUNTIME_NAMES.join(', ')}`, { option: '--runtime' });
  return make(ctx);
}
