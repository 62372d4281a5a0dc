/**
 * A small per-user index of recent runs: run id → the folder its record lives in (and the folder it was
 * started from), so record commands find a run recorded anywhere, not only under ./.caisson/runs.
 *
 * It is a hint, never the truth: the records are. One JSON line per run, appended with one write (so
 * concurrent runners do not tear each other's lines); an entry whose record is gone (folder deleted,
 * moved) is ignored, damaged lines are skipped, and a missing or unreadable index is an empty one. It is
 * kept short: past MAX_LINES lines it is rewritten with the newest KEEP runs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppendFile } from './append-file.ts';
import { writePrivateAtomic } from './private-fs.ts';
import { META_FILE } from './run-record.ts';
import { runsDirOf } from './run-store.ts';

/** One run the index knows. */
export interface RunIndexEntry {
  /** The run id. */
  runId: string;
  /** The folder whose `.caisson/runs` holds the record (the pipeline file's folder), absolute. */
  dir: string;
  /** The folder `caisson run` was started from, absolute. */
  cwd: string;
  /** The pipeline's name. */
  pipeline: string;
  /** Epoch ms it was indexed. */
  at: number;
}

const KEEP = 200;
const MAX_LINES = 2 * KEEP;
// No line is shorter than ~64 bytes: below this size there cannot be MAX_LINES, so no need to count.
const COUNT_FROM_BYTES = MAX_LINES * 64;

/** The per-user index of recent runs (see the file comment). */
export class RunIndex {
  /** @param file the index file (the CLI keeps it in the cache folder: CAISSON_CACHE_DIR moves it) */
  constructor(readonly file: string) {}

  /** Adds (or refreshes) a run. Never throws: an index that cannot be written only makes lookups poorer. */
  add(entry: Omit<RunIndexEntry, 'at'> & { at?: number }): void {
    try {
      const line = { ...entry, dir: resolve(entry.dir), cwd: resolve(entry.cwd), at: entry.at ?? Date.now() };
      const log = new AppendFile(this.file, false);
      try { log.append(line); } finally { log.close(); }
      if (statSync(this.file).size > COUNT_FROM_BYTES && this.read().length > MAX_LINES) this.compact();
    } catch {
      // Unwritable cache folder, full disk: the record itself is what matters.
    }
  }

  /** The runs whose records still exist, newest first (one entry per run id, the latest one). */
  entries(): RunIndexEntry[] {
    const byId = new Map<string, RunIndexEntry>();
    for (const e of this.read()) { byId.delete(e.runId); byId.set(e.runId, e); }
    return [...byId.values()].reverse().filter((e) => existsSync(join(runsDirOf(e.dir), e.runId, META_FILE)));
  }

  private read(): RunIndexEntry[] {
    let text: string;
    try { text = readFileSync(this.file, 'utf8'); } catch { return []; }
    const out: RunIndexEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as Partial<RunIndexEntry>;
        if (typeof e.runId === 'string' && typeof e.dir === 'string' && typeof e.cwd === 'string') {
          out.push({ runId: e.runId, dir: e.dir, cwd: e.cwd, pipeline: typeof e.pipeline === 'string' ? e.pipeline : '?', at: typeof e.at === 'number' ? e.at : 0 });
        }
      } catch {
        // A damaged (or cut) line: that run is just not found through the index.
      }
    }
    return out;
  }

  private compact(): void {
    const newest = this.entries().slice(0, KEEP).reverse();
    writePrivateAtomic(this.file, newest.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }
}
