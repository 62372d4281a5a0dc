/**
 * The engine's mutable view of one IR node during a run: an Exec or a group (Serial, Parallel), told
 * apart by `kind`, so code that checks it gets the node's own IR type and fields without a cast.
 */
import type { ContainerNode, ExecNode } from '../ir/index.ts';
import type { CachedMark, NodeState, RetryMark } from './events.ts';
import type { FailureClass } from '../options/retry-option.ts';

/** What every node of a run has; only RunTree changes it. */
interface RunNodeBase {
  /** Full path ("/ci/checks/unit"). */
  readonly path: string;
  /** Undefined for the root. */
  readonly parent: RunGroup | undefined;
  /** Position among its siblings. */
  readonly index: number;
  /** 0 for the root. */
  readonly depth: number;
  /** Current state; for groups derived from the children at once (see `shown`). */
  state: NodeState;
  /**
   * Groups: the state last announced in an event. `state` is re-derived at once (the scheduler reads
   * it), but announced only when a batch of changes settles, so a Serial moving from one child to the
   * next does not flicker through pending.
   */
  shown: NodeState;
  /** Skip set on this very node (IR `skip` or skip()); descendants are skipped through it at runtime. */
  skipFlag: boolean;
  /** How many times the node started running (0 = never). */
  attempt: number;
  /** Engine-clock epoch ms the latest attempt started. */
  startedAt?: number;
  /** Engine-clock epoch ms the latest attempt finished. */
  endedAt?: number;
  /** Why the node is in its state (exit code, kill reason, startup error). */
  reason?: string;
  /** The latest attempt's exit code, when it exited. */
  exitCode?: number;
  /** Execs: how the latest attempt's failure was classified. */
  failure?: FailureClass;
  /** Execs: where the node stands in a retry series (see RetryMark); unset outside one. */
  retry?: RetryMark;
  /** Set when a graft (or a reset back to the placeholder) took the node out of the tree; it changes nothing any more. */
  detached?: boolean;
  /** Cached Execs: the latest attempt's key. */
  cacheKey?: string;
  /** Cached Execs: set when the latest attempt ended with a stored result. */
  cached?: CachedMark;
  /** Cached Execs: reset asked that the next attempt not look the cache up. */
  bypassCache?: true;
  /** Execs with a native call: what the latest attempt returned (tagged JSON text). */
  result?: string | undefined;
}

/** An Exec during a run. */
export interface RunExec extends RunNodeBase {
  /** Tag of the union. */
  readonly kind: 'exec';
  /** The node in the run's own IR copy (edit() changes it there). */
  readonly ir: ExecNode;
  /** An Exec has none. */
  readonly children: readonly never[];
}

/** A Serial or Parallel during a run. */
export interface RunGroup extends RunNodeBase {
  /** Tag of the union. */
  readonly kind: 'serial' | 'parallel';
  /** The node in the run's own IR copy. */
  readonly ir: ContainerNode;
  /** Its children, in order. */
  readonly children: RunNode[];
  /** Children by state, skip-flagged children left out. */
  readonly counts: Record<NodeState, number>;
  /** Serials: children before this index are done or skipped (see derive.ts). */
  cursor: number;
}

/** One node's live state during a run. */
export type RunNode = RunExec | RunGroup;

/** True when the node or an ancestor is skip-flagged. */
export function isSkipped(n: RunNode | undefined): boolean {
  for (let at: RunNode | undefined = n; at; at = at.parent) if (at.skipFlag) return true;
  return false;
}
