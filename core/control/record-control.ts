/**
 * Control actions on a record while no runner executes it: the action runs on a Run restored from the
 * record, and the state events it causes are appended as one control line, so replay applies all of
 * them or none.
 */
import type { Run, StateEvent } from '../engine/index.ts';
import type { ControlEntry, RunRecord } from '../store/index.ts';

/** Applies `action` to `run`, then appends a control entry with the state events it caused. */
export function recordControl(
  record: RunRecord, run: Run, control: { op: string; paths: string[]; detail?: Record<string, unknown> }, action: () => void,
): ControlEntry {
  const events: StateEvent[] = [];
  const off = run.on((e) => { if (e.type === 'state') events.push(e); });
  try {
    action();
  } finally {
    off();
  }
  const entry: ControlEntry = { type: 'control', at: Date.now(), op: control.op, paths: control.paths, ...(control.detail ? { detail: control.detail } : {}), events };
  const log = record.openLog();
  try { log.append(entry); } finally { log.close(); }
  return entry;
}
