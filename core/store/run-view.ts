/**
 * What a record says about a run right now: its meta, IR, projection, whether a process still runs it,
 * and every node's settled status. `caisson runs`, `show` and the web UI all read runs through it. A
 * run whose runner died shows its running nodes as killed, exactly as resume would restore them.
 */
import type { NodeState, NodeStatus } from '../engine/index.ts';
import type { PipelineIR } from '../ir/index.ts';
import type { RunMeta } from './log-entries.ts';
import { activeMs, lastRunnerEntryAt, type RunProjection } from './run-projection.ts';
import type { RunRecord } from './run-record.ts';
import { runnerStateOf, type RunnerState } from './runner-liveness.ts';
import { settledStatuses } from './settled-statuses.ts';

/** A record read whole. */
export interface RunView {
  /** The record it was read from. */
  record: RunRecord;
  /** Its meta.json. */
  meta: RunMeta;
  /** Its copy of the IR (edits included). */
  ir: PipelineIR;
  /** Its log, folded; `offset` is where the log ended (follow on from there). */
  replayed: RunProjection & { offset: number };
  /** Whether a process is executing it. */
  runner: RunnerState;
  /** Every node's status, keyed by path, in tree order (see settledStatuses). */
  statuses: Record<string, NodeStatus>;
  /** The root's state. */
  state: NodeState;
  /** How long it has executed, over `caisson run` and every resume (not the time between them); undefined if it never started. */
  durationMs?: number;
}

/** Reads a record and works out its current statuses. */
export function viewRun(record: RunRecord): RunView {
  const meta = record.loadMeta();
  const ir = record.loadIr();
  const replayed = record.replay();
  const runner = runnerStateOf(replayed);
  const statuses = settledStatuses(ir, replayed.statuses, runner === 'running', lastRunnerEntryAt(replayed));
  const durationMs = activeMs(replayed, runner === 'running', Date.now());
  return { record, meta, ir, replayed, runner, statuses, state: statuses[`/${ir.root.name}`]?.state ?? 'pending', ...(durationMs !== undefined && { durationMs }) };
}
