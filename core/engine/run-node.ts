/**
 * The engine's mutable view of one IR node during a run.
 */
import type { Node } from '../ir/index.ts';
import type { NodeState, RetryMark } from './events.ts';
import type { FailureClass } from '../options/retry-option.ts';

/** One node's live state during a run; only RunTree changes it. */
export interface RunNode {
  /** Full path ("/ci/checks/unit"). */
  readonly path: string;
  /** The node in the run's own IR copy (edit() changes it there). */
  readonly ir: Node;
  /** Undefined for the root. */
  readonly parent: RunNode | undefined;
  /** Empty for an Exec. */
  readonly children: RunNode[];
  /** Position among its siblings. */
  readonly index: number;
  /** 0 for the root. */
  readonly depth: number;
  /** Current state; for containers derived from the children at once (see `shown`). */
  state: NodeState;
  /**
   * Containers: the state last announced in an event. `state` is re-derived at once (the scheduler
   * reads it), but announced only when a batch of changes settles, so a Serial moving from one child
   * to the next does not flicker through pending.
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
  /** Containers only: children by state, skip-flagged children left out. */
  counts?: Record<NodeState, number>;
  /** Serials only: children before this index are done or skipped (see derive.ts). */
  cursor: number;
}

/** True when the node or an ancestor is skip-flagged. */
export function isSkipped(n: RunNode | undefined): boolean {
  for (let at = n; at; at = at.parent) if (at.skipFlag) return true;
  return false;
}
