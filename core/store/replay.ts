/**
 * Reads a run's event log text into entries and folds them (RunProjection). Pure: no I/O, so it is
 * tested on strings, including a log cut off mid-line by a SIGKILL (the partial last line is ignored;
 * nothing complete is lost).
 */
import type { LogEntry } from './log-entries.ts';
import { decodeLogEntry } from './record-codecs.ts';
import { RunProjection } from './run-projection.ts';

export type { ReplayedRun } from './run-projection.ts';

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

/** Replays a whole log (`file` is named in errors) into a projection. */
export function replayLog(text: string, file?: string): RunProjection {
  const { entries, damagedLines, truncatedTail } = parseLog(text, file);
  const out = new RunProjection();
  for (const entry of entries) out.apply(entry);
  out.damagedLines = damagedLines;
  out.truncatedTail = truncatedTail;
  return out;
}
