/**
 * What a record says about a run right now, for `runs` and `show`: statuses with derived container
 * states, and whether a process is still running it. A run whose runner died shows its running nodes
 * as killed, exactly as resume would restore them.
 */
import {
  restoreRun, runnerStateOf,
  type NodeState, type NodeStatus, type PipelineIR, type ReplayedRun, type RunMeta, type RunRecord, type RunnerState,
} from '../../core/plugin-kit.ts';

/** A record read whole. */
export interface RunView {
  record: RunRecord;
  meta: RunMeta;
  ir: PipelineIR;
  replayed: ReplayedRun;
  runner: RunnerState;
  statuses: Record<string, NodeStatus>;
  /** The root's state. */
  state: NodeState;
}

/** Reads a record and works out its current statuses. */
export function viewRun(record: RunRecord): RunView {
  const meta = record.loadMeta();
  const ir = record.loadIr();
  const replayed = record.replay();
  const runner = runnerStateOf(replayed);
  const restored = restoreRun(ir, record.id, replayed.statuses).statuses();
  // While a runner works, the log is the truth (running stays running); otherwise the restore's view.
  const statuses = runner === 'running' ? { ...restored, ...replayed.statuses } : restored;
  return { record, meta, ir, replayed, runner, statuses, state: statuses[`/${ir.root.name}`]?.state ?? 'pending' };
}
