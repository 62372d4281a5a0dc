/**
 * A Serial's or Parallel's state follows from its children (docs/conducto-semantics.md#tree-semantics).
 * Each container keeps counts of its children by state so deriving is O(1), not a scan of 10,000 children
 * per change.
 */
import type { NodeState } from './events.ts';
import type { RunGroup } from './run-node.ts';

export const IN_PROGRESS = (s: NodeState): boolean => s === 'queued' || s === 'running';
export const FAILED = (s: NodeState): boolean => s === 'error' || s === 'killed';

/** A zeroed count per state. */
export const emptyCounts = (): Record<NodeState, number> =>
  ({ pending: 0, queued: 0, running: 0, done: 0, error: 0, killed: 0 });

/**
 * The state a container shows. Skipped children (their own skip flag) are left out: they neither
 * block nor fail it. A container with nothing left to count is done.
 */
export function deriveContainerState(n: RunGroup): NodeState {
  // A lazy node's graft point before its generator ran: nothing to count yet, but not done either.
  if (n.ir.kind === 'serial' && n.ir.placeholder !== undefined) return 'pending';
  const c = n.counts;
  let state: NodeState;
  if (c.running) state = 'running';
  else if (c.queued) state = 'queued';
  else if (n.ir.kind === 'serial' && n.ir.stopOnError) state = firstUnfinishedOfSerial(n);
  else if (c.pending) state = 'pending';
  else if (c.error || c.killed) state = 'error';
  else state = 'done';
  return state === 'error' && n.ir.suppressErrors ? 'done' : state;
}

/**
 * A stopping Serial is decided by its first child that is neither done nor skipped: a failure stops it
 * (error, later children stay pending), a pending child means it can go on. `cursor` remembers how far
 * the done prefix reaches, so repeated derivations over a long Serial stay linear overall.
 */
function firstUnfinishedOfSerial(n: RunGroup): NodeState {
  const children = n.children;
  while (n.cursor < children.length && (children[n.cursor]!.skipFlag || children[n.cursor]!.state === 'done')) n.cursor++;
  const first = children[n.cursor];
  if (!first) return 'done';
  return FAILED(first.state) ? 'error' : 'pending';
}
