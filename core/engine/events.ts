/**
 * The typed event stream every consumer (CLI, run store, UI, tests) reads.
 */
import type { FailureClass } from '../options/retry-option.ts';
import type { ImageSpec, Node } from '../ir/index.ts';

/**
 * Where an Exec stands in a series of retries: its latest attempt (or, while it waits for a retry, its
 * next one) is try `attempt` of `of`; the series' first try started at `since` (epoch ms, engine clock).
 * Set once a node has been retried; a reset starts a new series.
 */
export interface RetryMark {
  /** The try's number within the series (2 = the first retry). */
  attempt: number;
  /** The policy's attempts (total tries). */
  of: number;
  /** Engine-clock epoch ms the series' first try started (the retry budget counts from it). */
  since: number;
}

/** A cached Exec ended with an earlier run's stored result instead of running (no container). */
export interface CachedMark {
  /** The run that stored the result. */
  runId: string;
  /** Engine-clock epoch ms it was stored. */
  at: number;
}

/**
 * What a cached Exec's lookup decided: `hit` (the stored result is used), `miss` (no result for the
 * key), `expired` (one older than the ttl), `bypass` (not looked up: `--no-cache`, or the node was reset).
 */
export type CacheDecision = 'hit' | 'miss' | 'expired' | 'bypass';

/**
 * A cached Exec's key was computed and looked up: one event per attempt of a node with `cache` set,
 * before any container. Its manifest is kept in the result store under `key` (what `caisson why` reads).
 */
export interface CacheEvent {
  /** Tag of the RunEvent union. */
  type: 'cache';
  /** Epoch milliseconds on the engine's clock. */
  at: number;
  /** Path of the Exec. */
  path: string;
  /** The attempt it is for. */
  attempt: number;
  /** The node's key. */
  key: string;
  /** What the lookup decided. */
  decision: CacheDecision;
  /** Why the cache was bypassed ("reset", "--no-cache"). */
  reason?: string;
  /** For a hit or an expired result: the run that stored it, and when. */
  from?: string;
  /** Engine-clock epoch ms the found result was stored. */
  storedAt?: number;
  /** The key of the node path's latest stored result at lookup time (what `why` compares with). */
  previousKey?: string;
}

/** Node states, as Conducto names them (worker_error is our `killed`). */
export type NodeState = 'pending' | 'queued' | 'running' | 'done' | 'error' | 'killed';

/**
 * States a node stays in until it is reset: `done`, `error`, `killed`. Use it rather than listing them,
 * so code keeps working if a state is added.
 */
export const FINISHED_STATES: ReadonlySet<NodeState> = new Set(['done', 'error', 'killed']);

/**
 * What an attempt ended with or is marked by, beside its state: carried by state events and kept in a
 * node's status (NodeStatus), each field as of the latest attempt.
 */
export interface AttemptMarks {
  /** Why the node is in its state: exit code, "max time exceeded", "cancelled", an OOM or startup message. */
  reason?: string;
  /** The command's exit code, when an Exec finished by exiting. */
  exitCode?: number;
  /** How the engine classified the failure an Exec ended with (see RetryEvent for retried ones). */
  failure?: FailureClass;
  /** Set on an Exec that is being (or was) retried: which try of how many (see RetryMark). */
  retry?: RetryMark;
  /** A cached Exec's key, once computed for the attempt. */
  cacheKey?: string;
  /** Set when the attempt ended with a stored result instead of running. */
  cached?: CachedMark;
  /** Set by a reset: the node's next attempt does not look the cache up (its fresh result is stored). */
  bypassCache?: true;
  /** A native call's return value (tagged JSON text), when its call ended done. */
  result?: string;
  /** Services only: where the service stands (its state is the phase's: running, done or error; see ServicePhase). */
  service?: ServicePhase;
}

/** Emitted whenever a node's state (or its skipped flag) changes. */
export interface StateEvent extends AttemptMarks {
  /** Tag of the RunEvent union. */
  type: 'state';
  /** Epoch milliseconds on the engine's clock. */
  at: number;
  /** Path of the node that changed ("/ci/checks/unit"). */
  path: string;
  /** The new state. */
  state: NodeState;
  /** The state before this change (equal to `state` when only `skipped` changed). */
  previous: NodeState;
  /** The skipped twin: the node keeps its state and is passed over. */
  skipped: boolean;
  /** 1 for the first execution of the node, incremented each time it is run again. 0 = never ran. */
  attempt: number;
}

/**
 * A service's lifecycle: `starting` (its container starts, its wait runs) and `ready` show as `running`,
 * `stopped` (its group ended) as `done`, `failed` (it exited, its wait failed or timed out) as `error`.
 */
export type ServicePhase = 'starting' | 'ready' | 'stopped' | 'failed';

/**
 * An Exec's attempt failed and the engine will try it again after `delayMs`: one event per scheduled
 * retry, so the record keeps every failed attempt's classification. The node goes from running to
 * queued (reason "exit code 1; retry 2/3 in 8s"), never through error.
 */
export interface RetryEvent {
  /** Tag of the RunEvent union. */
  type: 'retry';
  /** Epoch milliseconds on the engine's clock. */
  at: number;
  /** Path of the Exec. */
  path: string;
  /** The node's attempt number that failed (its log is logs/<path>/<failed>.jsonl). */
  failed: number;
  /** How that attempt's failure was classified. */
  failure: FailureClass;
  /** Its exit code, when it exited. */
  exitCode?: number;
  /** Its reason ("exit code 1", "killed: out of memory …", a runtime error). */
  reason: string;
  /** The coming try's number within the series (2 = the first retry). */
  attempt: number;
  /** Total tries the policy allows. */
  of: number;
  /** Wait before the coming try, in ms of the engine clock. */
  delayMs: number;
}

/** A chunk of a node's output. */
export interface OutputEvent {
  /** Tag of the RunEvent union. */
  type: 'output';
  /** Epoch milliseconds on the engine's clock. */
  at: number;
  /** Path of the Exec that wrote it. */
  path: string;
  /** Which attempt of the node wrote it (output of earlier attempts stays separate). */
  attempt: number;
  /** Which stream the chunk came from. */
  stream: 'stdout' | 'stderr';
  /** The text, with secret values already masked; chunks may split lines. */
  data: string;
}

/** An Exec was given a container (new or reused). */
export interface ContainerEvent {
  /** Tag of the RunEvent union. */
  type: 'container';
  /** Epoch milliseconds on the engine's clock. */
  at: number;
  /** Path of the Exec given the container. */
  path: string;
  /** The attempt the container serves. */
  attempt: number;
  /** The runtime's container id. */
  containerId: string;
  /** The reuse group: "global" or the path of the node that set `reuse: "new"`. */
  group: string;
  /** True when an existing container of the group was handed over instead of a new one created. */
  reused: boolean;
}

/** First event of a run: its id and the pipeline's name. `at` is epoch ms on the engine's clock. */
export interface RunStartedEvent { type: 'run-started'; at: number; runId: string; pipeline: string }
/** Last event of a run: its id and the root's final state. `at` is epoch ms on the engine's clock. */
export interface RunFinishedEvent { type: 'run-finished'; at: number; runId: string; state: NodeState }

/**
 * A lazy node's generator wrote a valid subtree and it was grafted at `path` (README "Lazy subtrees"):
 * the whole subtree, as the run's IR now holds it, in one event, so the record keeps every graft (a
 * reset that regenerates it leaves the old one in the log as history).
 */
export interface GraftEvent {
  /** Tag of the RunEvent union. */
  type: 'graft';
  /** Engine-clock epoch ms. */
  at: number;
  /** The graft point's path: the subtree's root is now there. */
  path: string;
  /** The generator Exec's path. */
  generator: string;
  /** The generator's attempt that wrote it. */
  attempt: number;
  /** The grafted subtree, validated, with inherited fields filled in. */
  node: Node;
  /** Images the subtree added to the run's table, by name. */
  images: Record<string, ImageSpec>;
  /** What those images were resolved to (built on demand), by name. */
  resolved: Record<string, string | { ref: string; shell?: string; workdir?: string }>;
}

/**
 * A hook fired (core/engine/hooks.ts): which, for which node event, and how it went. `key` says which
 * firing it is (node, attempt, event, hook), so a resumed run never fires it again; a failed hook is
 * recorded here and never changes the node's state.
 */
export interface HookFiredEvent {
  /** Tag of the RunEvent union. */
  type: 'hook';
  /** Epoch ms (engine clock) the hook ended. */
  at: number;
  /** The node whose event fired it. */
  path: string;
  /** The node's attempt (for retry, the attempt that failed). */
  attempt: number;
  /** The node event: done, error, killed, retry, stateChange. */
  event: string;
  /** What fired: "webhook http://…", "host notify.sh", "function notify", "container busybox:latest …". */
  hook: string;
  /** Where the hook was declared. */
  from: string;
  /** The firing's identity: path, attempt, event (and state, for stateChange), hook index. */
  key: string;
  /** True when the hook succeeded. */
  ok: boolean;
  /** Why it failed. */
  error?: string;
}

/** Everything a run reports, in order, tagged on `type`: subscribe with `Run.on()` or `Run.events()`. */
export type RunEvent = StateEvent | OutputEvent | ContainerEvent | RetryEvent | CacheEvent | RunStartedEvent | RunFinishedEvent | GraftEvent | HookFiredEvent;
