/**
 * The typed event stream every consumer (CLI, run store, UI, tests) reads.
 */

/** Node states, as Conducto names them (worker_error is our `killed`). */
export type NodeState = 'pending' | 'queued' | 'running' | 'done' | 'error' | 'killed';

export const FINISHED_STATES: ReadonlySet<NodeState> = new Set(['done', 'error', 'killed']);

/** Emitted whenever a node's state (or its skipped flag) changes. */
export interface StateEvent {
  type: 'state';
  /** Epoch milliseconds on the engine's clock. */
  at: number;
  path: string;
  state: NodeState;
  previous: NodeState;
  /** The skipped twin: the node keeps its state and is passed over. */
  skipped: boolean;
  /** 1 for the first execution of the node, incremented each time it is run again. 0 = never ran. */
  attempt: number;
  /** Why the node got here: "max time exceeded", "cancelled", an OOM message, a startup error. */
  reason?: string;
  exitCode?: number;
}

/** A chunk of a node's output. */
export interface OutputEvent {
  type: 'output';
  at: number;
  path: string;
  attempt: number;
  stream: 'stdout' | 'stderr';
  data: string;
}

/** An Exec was given a container (new or reused). */
export interface ContainerEvent {
  type: 'container';
  at: number;
  path: string;
  attempt: number;
  containerId: string;
  /** The reuse group: "global" or the path of the node that set `reuse: "new"`. */
  group: string;
  reused: boolean;
}

export interface RunStartedEvent { type: 'run-started'; at: number; runId: string; pipeline: string }
export interface RunFinishedEvent { type: 'run-finished'; at: number; runId: string; state: NodeState }

export type RunEvent = StateEvent | OutputEvent | ContainerEvent | RunStartedEvent | RunFinishedEvent;
