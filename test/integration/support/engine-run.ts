/**
 * Test support: compile a DSL pipeline and run it on the real Docker runtime (or another real provider)
 * through the engine, collecting every event.
 */
import { compile, Engine, type GroupBuilder, type RunEvent, type RunResult, type RuntimeProvider } from '../../../core/index.ts';
import { DockerRuntimeProvider } from '../../../plugins/runtime-docker/index.ts';
import { uniqueRunId } from '../../helpers/docker.ts';

export interface DockerRun {
  result: RunResult;
  events: RunEvent[];
  runId: string;
  /** Concatenated stdout of the node at `path`. */
  stdoutOf(path: string): string;
  /** The container id each Exec ran in, by path. */
  containerOf(path: string): string;
}

export const runOnDocker = async (
  builder: GroupBuilder, opts: { capacity?: { cpu?: number; mem?: number }; provider?: RuntimeProvider } = {},
): Promise<DockerRun> => {
  const provider = opts.provider ?? new DockerRuntimeProvider();
  const engine = new Engine(provider, undefined, { capacity: opts.capacity });
  const runId = uniqueRunId('eng');
  const run = engine.createRun(compile(builder), { runId });
  const events: RunEvent[] = [];
  run.on((e) => events.push(e));
  const result = await run.start();
  return {
    result, events, runId,
    stdoutOf: (path) => events.filter((e) => e.type === 'output' && e.path === path && e.stream === 'stdout')
      .map((e) => (e as { data: string }).data).join(''),
    containerOf: (path) => {
      const e = events.find((x) => x.type === 'container' && x.path === path);
      if (!e || e.type !== 'container') throw new Error(`no container event for ${path}`);
      return e.containerId;
    },
  };
};
