export type { RunEvent, StateEvent, OutputEvent, ContainerEvent, RunStartedEvent, RunFinishedEvent, NodeState } from './events.ts';
export { FINISHED_STATES } from './events.ts';
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
