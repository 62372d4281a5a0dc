/**
 * The one entry point of control actions, for the CLI and the web UI alike: a run that a live runner
 * executes gets the action through its control log (applied within 200 ms, by the runner, between two
 * of its own events); a run with no runner left gets it applied to its record, as between runs. Either
 * way it ends as ONE control entry in events.jsonl with the state changes it caused.
 */
import type { NodeStatus } from '../engine/index.ts';
import { RunOperationError } from '../errors.ts';
import {
  restoreRun, runnerStateOf, settledStatuses, type ControlEntry, type RunProjection, type RunRecord,
} from '../store/index.ts';
import { checkAction, normalisePath, type ControlAction } from './actions.ts';
import { applyToRun } from './apply-action.ts';
import { appendRequest } from './control-log.ts';

/** The node an action names (a rebuild names images, not a node: the root). */
const pathOf = (action: ControlAction): string => (action.op === 'rebuild' ? '/' : normalisePath(action.path));

/** What an action did. */
export interface ControlOutcome {
  /** True when the run's live runner applied it; false when it was applied to the record. */
  live: boolean;
  /** Its entry in events.jsonl. */
  entry: ControlEntry;
  /** Every node's status right after it (settled as a reader shows them). */
  statuses: Record<string, NodeStatus>;
}

/** Options of controlRun. */
export interface ControlRunOptions {
  /** How long to wait for a live runner to apply the request before giving up; default 10 s. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies `action` to the run of `record`: through its live runner when one executes it, else to the
 * record. Kill needs a live runner (a record has nothing running).
 * @throws RunOperationError for an action the run does not allow (unknown node, edit of a Serial, …),
 *   or when a live runner did not answer in time
 */
export async function controlRun(record: RunRecord, action: ControlAction, opts: ControlRunOptions = {}): Promise<ControlOutcome> {
  const replayed = record.replay();
  const ir = record.loadIr();
  checkAction(ir, action);
  if (runnerStateOf(replayed) === 'running') {
    const done = await applyLive(record, replayed, action, opts.timeoutMs ?? 10_000);
    if (done) return { live: true, entry: done, statuses: settledStatuses(record.loadIr(), replayed.statuses, runnerStateOf(replayed) === 'running') };
  }
  return applyToRecord(record, action);
}

/** Writes the request and waits for the runner's entry; undefined when the runner ended without applying it. */
async function applyLive(record: RunRecord, replayed: RunProjection & { offset: number }, action: ControlAction, timeoutMs: number): Promise<ControlEntry | undefined> {
  const log = record.follow(replayed.offset);
  const request = appendRequest(record, replayed.runner!, action);
  const find = (): ControlEntry | undefined => {
    for (const { entry } of log.read()) {
      replayed.apply(entry);
      if (entry.type === 'control' && entry.request === request.id) return entry;
    }
    return undefined;
  };
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
    await sleep(wait);
    const entry = find();
    if (entry?.error) throw new RunOperationError(`${action.op}: ${entry.error}`, { path: pathOf(action), operation: action.op });
    if (entry) return entry;
    // The runner finished (or died) without it: the record is the run's state now.
    if (runnerStateOf(replayed) !== 'running') return find();
    if (Date.now() > deadline) {
      const r = replayed.runner!;
      throw new RunOperationError(`${action.op}: the runner of run ${record.id} (pid ${r.pid} on ${r.host}) did not apply it within ${Math.round(timeoutMs / 1000)} s; it stays requested in its control log`, { path: pathOf(action), operation: action.op });
    }
  }
}

/** Applies the action to a Run restored from the record, saving its IR copy first, then one log entry. */
function applyToRecord(record: RunRecord, action: ControlAction): ControlOutcome {
  if (action.op === 'kill') throw new RunOperationError(`nothing to kill: no runner is executing run ${record.id}, so nothing under ${normalisePath(action.path)} is running`, { path: normalisePath(action.path), operation: 'kill' });
  const replayed = record.replay();
  const run = restoreRun(record.loadIr(), record.id, replayed.statuses);
  const events: ControlEntry['events'] = [];
  const off = run.on((e) => { if (e.type === 'state') events.push(e); });
  let applied: ReturnType<typeof applyToRun>;
  try { applied = applyToRun(run, action); } finally { off(); }
  // The IR copy first: a kill between the two leaves the change in force, merely unlogged.
  if (applied.irChanged) record.saveIr(run.ir);
  const entry: ControlEntry = { type: 'control', at: Date.now(), op: action.op, paths: applied.paths, ...(applied.detail ? { detail: applied.detail } : {}), events };
  const file = record.openLog();
  try { file.append(entry); } finally { file.close(); }
  replayed.apply(entry);
  return { live: false, entry, statuses: settledStatuses(run.ir, replayed.statuses, false) };
}
