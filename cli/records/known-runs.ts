/**
 * Where records live, for the record commands: the runs of a folder (`.caisson/runs`) and the per-user
 * index of recent runs (in the cache folder; CAISSON_CACHE_DIR moves it), which knows runs recorded
 * next to a pipeline file in another folder (`caisson run sub/p.ts` records in sub/.caisson/runs).
 */
import { rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { cacheDir, RunIndex, RunStore, runsDirOf, shellQuote, type RunIndexEntry, type RunRecord } from '../../core/plugin-kit.ts';

/** The index `caisson run` and `resume` add to and the record commands consult. */
export const runIndex = (): RunIndex => new RunIndex(join(cacheDir(), 'runs-index.jsonl'));

/** A folder as the user would type it from here: relative when below the current directory, else absolute. */
export function shownFolder(folder: string): string {
  const rel = relative(process.cwd(), folder);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? folder : rel;
}

/** The `--dir` part of a command about a run in `folder` ('' when that is the current directory). */
const dirArg = (folder: string): string => {
  const shown = shownFolder(folder);
  return shown === '.' ? '' : ` --dir ${shellQuote(shown)}`;
};

/** "recorded in sub/.caisson/runs/<id> (caisson show <id> --dir sub)": what run and resume end with. */
export function recordedLine(record: RunRecord): string {
  const folder = resolve(record.dir, '..', '..', '..');
  return `recorded in ${join(shownFolder(folder) === '.' ? '' : shownFolder(folder), '.caisson', 'runs', record.id)} (caisson show ${record.id}${dirArg(folder)})`;
}

/** Adds a record to the index, as started from the current directory. */
export function indexRecord(record: RunRecord, pipeline: string): void {
  runIndex().add({ runId: record.id, dir: resolve(record.dir, '..', '..', '..'), cwd: process.cwd(), pipeline });
}

/**
 * Removes the record of a run that never started (its runtime could not be opened). Its index entry then
 * points at nothing, which the index ignores. A record that cannot be removed is left, and said.
 */
export function discardRecord(record: RunRecord): void {
  try {
    rmSync(record.dir, { recursive: true, force: true });
  } catch (e) {
    process.stderr.write(`caisson: could not remove the record of run ${record.id} (${(e as Error).message}); remove ${record.dir}\n`);
  }
}

/** The record an index entry points at. */
export const openEntry = (e: RunIndexEntry): RunRecord => new RunStore(runsDirOf(e.dir)).open(e.runId);

/** "the latest runs recorded elsewhere: <id> (<pipeline>) in <folder>, …; caisson show <id>" or ''. */
export function elsewhereHint(entries: RunIndexEntry[], here: string, max = 3): string {
  const others = entries.filter((e) => resolve(e.dir) !== resolve(here)).slice(0, max);
  if (!others.length) return '';
  const list = others.map((e) => `${e.runId} (${e.pipeline}) in ${shownFolder(e.dir)}`).join(', ');
  return `; the latest runs recorded elsewhere: ${list} (caisson show ${others[0]!.runId} finds one anywhere)`;
}
