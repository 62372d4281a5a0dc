/**
 * Which Exec runs after a given one in Serial order: the scheduler warms that Exec's container while the
 * current one runs. Only Serial order counts: under a Parallel the siblings already start together.
 */
import type { RunExec, RunGroup, RunNode } from './run-node.ts';

/**
 * The Exec that will run right after `n` finishes, when that is decided by Serial order: the first
 * Exec of the next unfinished sibling, going up through enclosing Serials when `n` is the last one.
 * Undefined when `n` is under a Parallel, at the end of the tree, or the next sibling starts with a
 * Parallel (several Execs start at once then, and warming one of them would favour it).
 */
export function nextInSerial(n: RunExec): RunExec | undefined {
  for (let at: RunNode = n; at.parent; at = at.parent) {
    const parent: RunGroup = at.parent;
    if (parent.kind !== 'serial') return undefined;
    // The running child is at or after the Serial's cursor (its first unfinished child).
    let i = parent.children.indexOf(at, parent.cursor);
    if (i < 0) i = parent.children.indexOf(at);
    for (let j = i + 1; j < parent.children.length; j++) {
      const c = parent.children[j]!;
      if (c.skipFlag || c.state === 'done') continue;
      return firstExec(c);
    }
  }
  return undefined;
}

/** The Exec a node starts with when it is reached in a Serial. */
function firstExec(n: RunNode): RunExec | undefined {
  if (n.kind === 'exec') return n;
  if (n.kind === 'parallel') return undefined;
  for (const c of n.children) {
    if (c.skipFlag || c.state === 'done') continue;
    return firstExec(c);
  }
  return undefined;
}
