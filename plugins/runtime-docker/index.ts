/**
 * caisson/docker: the Docker runtime provider. The only place in Caisson that imports dockerode.
 */
import type { Plugin } from '../../core/index.ts';
import { DockerRuntimeProvider, type DockerRuntimeOptions } from './docker-runtime-provider.ts';
import { SwarmRuntimeProvider, type SwarmRuntimeOptions } from './swarm-runtime-provider.ts';

export { DockerRuntimeProvider, type DockerRuntimeOptions } from './docker-runtime-provider.ts';
export { DockerContainerLease, oomMessage } from './docker-lease.ts';
export { mapRunArgs, RUN_ARG_MAPPING, type MappedRunArgs, type RunArgsContext } from './run-args.ts';
export { registerSignalCleanup } from './signal-cleanup.ts';
export { sweepOrphans, removeRunContainers, isProcessAlive, isOwnerGone } from './sweep.ts';
export {
  LABEL_RUN, LABEL_OWNER_PID, LABEL_OWNER_HOST, LABEL_OWNER_PIDNS, LABEL_OWNER_START, LABEL_MANAGED, LABEL_GROUP, getOwnerLabels,
} from './labels.ts';

/**
 * The Docker runtime as a plugin: contributes one DockerRuntimeProvider as the runtime.
 * `createCaisson({ plugins: [dockerRuntime()] })`.
 */
export const dockerRuntime = (opts: DockerRuntimeOptions = {}): Plugin => ({
  name: 'runtime-docker',
  runtime: new DockerRuntimeProvider(opts),
});
export { startDebugContainer, debugScript, LABEL_DEBUG, DEBUG_SCRIPT } from './debug-container.ts';
export type { DebugContainer, DebugContainerSpec } from './debug-container.ts';
export { openDebugShell, type DebugTerminal } from './debug-shell.ts';
export { SwarmRuntimeProvider, type SwarmRuntimeOptions } from './swarm-runtime-provider.ts';

/**
 * The Docker Swarm runtime as a plugin: each container becomes a one-task Swarm service on the manager
 * the client reaches (DOCKER_HOST), its image pushed to a registry. `createCaisson({ plugins: [dockerSwarm()] })`.
 */
export const dockerSwarm = (opts: SwarmRuntimeOptions = {}): Plugin => ({
  name: 'runtime-swarm',
  runtime: new SwarmRuntimeProvider(opts),
});
