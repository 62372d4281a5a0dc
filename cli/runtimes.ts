/**
 * The runtime backends the command can use, by name (`--runtime`). Each is a plugin; the CLI is the one
 * place that knows them all.
 */
import type { Plugin } from '../core/index.ts';
import { dockerRuntime } from '../plugins/runtime-docker/index.ts';
import { fakeRuntime } from '../plugins/runtime-fake/index.ts';
import { UsageError } from './usage-error.ts';

const RUNTIMES: Record<string, () => Plugin> = {
  // The CLI handles SIGINT/SIGTERM itself (cancel, clean up, summary), so the provider must not exit first.
  docker: () => dockerRuntime({ handleSignals: false }),
  // Every Exec succeeds at once with no output: a quick check of the tree's shape and order.
  fake: () => fakeRuntime(),
};

/** Names accepted by --runtime. */
export const RUNTIME_NAMES = Object.keys(RUNTIMES);

/** The plugin for a --runtime name. */
export function runtimePlugin(name: string): Plugin {
  const make = RUNTIMES[name];
  if (!make) throw new UsageError(`unknown runtime "${name}"; choose one of: ${RUNTIME_NAMES.join(', ')}`);
  return make();
}
