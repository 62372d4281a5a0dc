/**
 * Test support: a provider opened for one run, and a shortcut to acquire containers and run commands.
 */
import type { CommandResult, ContainerLease, ContainerSpec, RunContext } from '../../../core/index.ts';
import { DockerRuntimeProvider, type DockerRuntimeOptions } from '../../../plugins/runtime-docker/index.ts';
import { collectOutput, uniqueRunId } from '../../helpers/docker.ts';

export const BUSYBOX = 'busybox:latest';
export const DEBIAN = 'debian:bookworm-slim';

/** What a test may set: spec fields, and a node's Docker options as it writes them (into `backend.docker`). */
export type SpecOverrides = Partial<ContainerSpec> & { requiresDocker?: boolean; dockerRunArgs?: string[] };

export const specFor = (image: string, over: SpecOverrides = {}): ContainerSpec => {
  const { requiresDocker = false, dockerRunArgs = [], ...rest } = over;
  const backend = requiresDocker || dockerRunArgs.length ? { docker: { requiresDocker, runArgs: dockerRunArgs } } : {};
  return { image, cpu: 1, mem: 0.5, gpu: 0, backend, mounts: [], labels: {}, group: 'global', ...rest };
};

export interface RunOutcome { result: CommandResult; stdout: string; stderr: string }

/** Runs one command in `lease` and collects its output. */
export const runIn = async (
  lease: ContainerLease,
  command: string | string[],
  opts: { env?: Record<string, string>; workdir?: string; shell?: string; signal?: AbortSignal } = {},
): Promise<RunOutcome> => {
  const { out, onOutput } = collectOutput();
  const result = await lease.run({
    path: '/test', command, env: opts.env ?? {}, workdir: opts.workdir, shell: opts.shell,
    signal: opts.signal ?? new AbortController().signal, onOutput,
  });
  return { result, ...out };
};

/** A provider opened for a fresh run id; `done()` closes it. */
export const openRun = async (opts: DockerRuntimeOptions = {}) => {
  const provider = new DockerRuntimeProvider(opts);
  const run: RunContext = { runId: uniqueRunId(), labels: {} };
  const session = await provider.open(run);
  const acquire = (image: string, over: SpecOverrides = {}) =>
    session.acquire(specFor(image, over), new AbortController().signal);
  return { provider, run, session, acquire, done: () => session.close() };
};
