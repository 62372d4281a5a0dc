export type { RuntimeProvider, RuntimeSession, RuntimeCapabilities, BackendSettings, DockerSettings, ContainerLease, ContainerSpec, CommandSpec, CommandResult, Mount, RunContext, ServiceContainerSpec, ServiceLease, ServiceProbeResult } from './contract.ts';
export type { ContainerFile } from './contract.ts';
export { RUN_ARG_FLAGS, type RunArgFlag, type RunArgValue } from './run-arg-flags.ts';
export { parseRunArgs, runArgFlag, ACCEPTED_RUN_ARGS, type RunArg } from './parse-run-args.ts';
export type { RuntimeDebug, DebugContainer, DebugContainerSpec, DebugTerminal } from './debug-contract.ts';
