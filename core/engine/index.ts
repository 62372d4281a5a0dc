export type { RunEvent, StateEvent, OutputEvent, ContainerEvent, RunStartedEvent, RunFinishedEvent, NodeState } from './events.ts';
export { FINISHED_STATES } from './events.ts';
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export { Engine } from './engine.ts';
export { Run, RUN_LABEL, GROUP_LABEL } from './run.ts';
export type { EngineOptions, CreateRunOptions, NodeStatus, RunImage, RunResult } from './types.ts';
export { MAX_TIME_EXCEEDED, CANCELLED, KILLED_BY_USER } from './exec-runner.ts';
export { reuseKey } from './container-pool.ts';
