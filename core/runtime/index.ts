export type { RuntimeProvider, ContainerLease, ContainerSpec, CommandSpec, CommandResult, Mount, RunContext } from './contract.ts';
