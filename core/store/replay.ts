/**
 * Rebuilds a run's state from its event log text. Pure: no I/O, so it is tested on strings, including
 * a log cut off mid-line by a SIGKILL (the partial last line is ignored; nothing complete is lost).
 */
import type { NodeStatus, StateEvent } from '../engine/index.ts';
import { FINISHED_STATES } from '../engine/index.ts';
import type { ControlEntry, LogEntry, RunnerEntry } from './log-entries.ts';
import { decodeLogEntry } from './record-codecs.ts';

/** A run as its log tells it. */
export interface ReplayedRun {
  /** Each node's status after the last complete line, keyed by path (nodes never mentioned are absent). */
  statuses: Record<string, NodeStatus>;
  /** The latest runner; undefined when no process ever ran the run. */
  runner?: RunnerEntry;
  /** True when the latest runner reached run-finished (it ended normally). */
  runnerFinished: boolean;
  /** Epoch ms of the first run-started, and of the last entry of any kind. */
  startedAt?: number;
  /** Epoch ms of the last entry of any kind. */
  lastAt?: number;
  /** Control actions, in order. */
  controls: ControlEntry[];
  /** Complete lines that were not JSON (never expected: a line is written whole; counted rather than fatal). */
  damagedLines: number;
  /** True when the text ended in a partial line (the writer was killed mid-write); it was ignored. */
  truncatedTail: boolean;
}

/**
 * The complete lines of `text` decoded as entries; a trailing partial line is left out, and a line that
 * is not JSON at all is counted as damaged and skipped.
 * @param file named in errors, with the line number
 * @throws RunRecordError for a JSON line that is not a valid entry, or one of a type a newer Caisson wrote
 */
export function parseLog(text: string, file = 'events.jsonl'): { entries: LogEntry[]; damagedLines: number; truncatedTail: boolean } {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const entries: LogEntry[] = [];
  let damagedLines = 0;
  lines.forEach((line, i) => {
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      damagedLines++;
      return;
    }
    entries.push(decodeLogEntry(value, `${file}:${i + 1}`));
  });
  return { entries, damagedLines, truncatedTail: tail.length > 0 };
}

/** Folds one state event into the statuses, stamping start/end times as the engine does. */
export function applyStateEvent(statuses: Record<string, NodeStatus>, e: StateEvent): void {
  const prev = statuses[e.path];
  const next: NodeStatus = { state: e.state, skipped: e.skipped, attempt: e.attempt };
  let startedAt = prev?.startedAt;
  let endedAt = prev?.endedAt;
  if (e.attempt > (prev?.attempt ?? 0)) { startedAt = e.at; endedAt = undefined; }
  if (e.state !== e.previous) {
    if (FINISHED_STATES.has(e.state)) endedAt = e.at;
    if (e.state === 'pending') { startedAt = undefined; endedAt = undefined; }
  }
  if (startedAt !== undefined) next.startedAt = startedAt;
  if (endedAt !== undefined) next.endedAt = endedAt;
  if (e.reason !== undefined) next.reason = e.reason;
  if (e.exitCode !== undefined) next.exitCode = e.exitCode;
  if (e.failure !== undefined) next.failure = e.failure;
  if (e.retry !== undefined) next.retry = e.retry;
  statuses[e.path] = next;
}

/** Replays a whole log (`file` is named in errors). */
export function replayLog(text: string, file?: string): ReplayedRun {
  const { entries, damagedLines, truncatedTail } = parseLog(text, file);
  const out: ReplayedRun = { statuses: {}, runnerFinished: false, controls: [], damagedLines, truncatedTail };
  for (const entry of entries) {
    if (typeof entry.at === 'number') out.lastAt = Math.max(out.lastAt ?? entry.at, entry.at);
    switch (entry.type) {
      case 'state':
        applyStateEvent(out.statuses, entry);
        break;
      case 'control':
        out.controls.push(entry);
        for (const e of entry.events) applyStateEvent(out.statuses, e);
        break;
      case 'runner':
        out.runner = entry;
        out.runnerFinished = false;
        break;
      case 'run-started':
        out.startedAt ??= entry.at;
        break;
      case 'run-finished':
        out.runnerFinished = true;
        break;
      default:
        break;
    }
  }
  return out;
}
