/**
 * The engine's mutable view of one IR node during a run.
 */
import type { Node } from '../ir/index.ts';
import type { NodeState } from './events.ts';

export interface RunNode {
  readonly path: string;
  /** The node in the run's own IR copy (edit() changes it there). */
  readonly ir: Node;
  readonly parent: RunNode | undefined;
  readonly children: RunNode[];
  /** Position among its siblings. */
  readonly index: number;
  /** 0 for the root. */
  readonly depth: number;
  state: NodeState;
  /**
   * Containers: the state last announced in an event. `state` is re-derived at once (the scheduler
   * reads it), but announced only when a batch of changes settles, so a Serial moving from one child
   * to the next does not flicker through pending.
   */
  shown: NodeState;
  /** Skip set on this very node (IR `skip` or skip()); descendants are skipped through it at runtime. */
  skipFlag: boolean;
  attempt: number;
  startedAt?: number;
  endedAt?: number;
  reason?: string;
  exitCode?: number;
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
