/**
 * Every node's status as a reader should show it, from the projection's statuses and the run's IR.
 * While a runner works the log is the truth. Otherwise work that was queued or running cannot go on
 * (its process is gone), so those Execs show killed, as resume restores them, and Serials and
 * Parallels are derived again from their children, with the engine's rules (core/engine/derive.ts;
 * test/unit/store/projection.test.ts checks the two agree on random trees).
 */
import type { ContainerNode, Node, PipelineIR } from '../ir/index.ts';
import { childPath } from '../ir/index.ts';
import type { NodeState, NodeStatus } from '../engine/index.ts';
import { FINISHED_STATES } from '../engine/index.ts';
import { INTERRUPTED } from '../engine/restore.ts';

const FAILED = (s: NodeState) => s === 'error' || s === 'killed';
const IN_PROGRESS = (s: NodeState) => s === 'queued' || s === 'running';

/** A child as its parent's derivation sees it: its state, and whether its own skip flag is set. */
interface Child { state: NodeState; flagged: boolean }

/** A container's state from its children's (derive.ts's rules, over plain data). */
export function containerState(node: ContainerNode, children: readonly Child[]): NodeState {
  // A lazy node's graft point before its generator ran (derive.ts says the same).
  if (node.kind === 'serial' && node.placeholder !== undefined) return 'pending';
  const counted = children.filter((c) => !c.flagged);
  const has = (s: NodeState) => counted.some((c) => c.state === s);
  let state: NodeState;
  if (has('running')) state = 'running';
  else if (has('queued')) state = 'queued';
  else if (node.kind === 'serial' && node.stopOnError) {
    const first = children.find((c) => !c.flagged && c.state !== 'done');
    state = !first ? 'done' : FAILED(first.state) ? 'error' : 'pending';
  } else if (has('pending')) state = 'pending';
  else if (has('error') || has('killed')) state = 'error';
  else state = 'done';
  return state === 'error' && node.suppressErrors ? 'done' : state;
}

/**
 * Every node's status, keyed by path, in tree order. `live`: a runner is executing the run, so the
 * log's statuses stand as they are; otherwise in-progress Execs become killed and containers are
 * derived again. Nodes the log never mentions are pending (skipped when the IR skips them).
 * `interruptedAt`: when the dead runner last wrote, the end time of the Execs it was running.
 */
export function settledStatuses(ir: PipelineIR, statuses: Readonly<Record<string, NodeStatus>>, live: boolean, interruptedAt?: number): Record<string, NodeStatus> {
  const out: Record<string, NodeStatus> = {};
  const visit = (node: Node, path: string, parentSkipped: boolean): Child => {
    const given = statuses[path];
    const flagged = node.skip || (given?.skipped === true && !parentSkipped);
    const skipped = parentSkipped || flagged;
    const s: NodeStatus = given ? { ...given, skipped } : { state: 'pending', skipped, attempt: 0 };
    out[path] = s;
    if (node.kind === 'exec') {
      if (!live && IN_PROGRESS(s.state)) {
        s.state = 'killed'; s.reason = INTERRUPTED; delete s.exitCode;
        // It ended when its runner last wrote, not now: a reader's clock would make it run on for ever.
        if (s.startedAt !== undefined && interruptedAt !== undefined) s.endedAt = Math.max(interruptedAt, s.startedAt);
      }
      return { state: s.state, flagged };
    }
    // Services are not children (their states do not count), but show with the group (core/engine/services.ts).
    for (const svc of node.services ?? []) {
      const p = childPath(path, svc.name);
      const g = statuses[p];
      const t: NodeStatus = g ? { ...g } : { state: 'pending', skipped: false, attempt: 0 };
      if (!live && IN_PROGRESS(t.state)) Object.assign(t, { state: 'error', service: 'failed', reason: INTERRUPTED });
      out[p] = t;
    }
    const children = node.children.map((c) => visit(c, childPath(path, c.name), skipped));
    if (!live) {
      s.state = containerState(node, children);
      if (!FINISHED_STATES.has(s.state)) delete s.endedAt;
      else if (s.endedAt === undefined && s.startedAt !== undefined) s.endedAt = latestEnd(node, path, out);
    }
    return { state: s.state, flagged };
  };
  visit(ir.root, childPath('', ir.root.name), false);
  return out;
}

/** The latest end among a container's children (a container cut short by a dead runner has none of its own). */
function latestEnd(node: ContainerNode, path: string, out: Record<string, NodeStatus>): number | undefined {
  let latest: number | undefined;
  for (const c of node.children) {
    const end = out[childPath(path, c.name)]?.endedAt;
    if (end !== undefined && (latest === undefined || end > latest)) latest = end;
  }
  return latest;
}
