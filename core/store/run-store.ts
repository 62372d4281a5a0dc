/**
 * The runs folder (`.caisson/runs`): creates records, lists them newest first, and finds one by full
 * id, unique prefix or "latest".
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PipelineIR } from '../ir/index.ts';
import { RunNotFoundError, RunRecordError } from '../errors.ts';
import type { RunMeta } from './log-entries.ts';
import { mkdirPrivate, PRIVATE_DIR, tightenDir } from './private-fs.ts';
import { IR_FILE, META_FILE, RunRecord, writeJsonAtomic } from './run-record.ts';

/** `<folder>/.caisson/runs`. */
export const runsDirOf = (folder: string): string => join(folder, '.caisson', 'runs');

/**
 * The runs folder of a pipeline: creates run records, lists them newest first and finds one by id,
 * unique prefix or "latest", with a clear RunNotFoundError otherwise.
 */
export class RunStore {
  /** @param runsDir the folder holding one folder per run */
  constructor(readonly runsDir: string) {}

  /** The store next to a pipeline file: `<its folder>/.caisson/runs`. */
  static forPipelineFile(file: string): RunStore { return new RunStore(runsDirOf(dirname(file))); }

  /**
   * Creates `<runsDir>/<meta.runId>/` with meta.json and ir.json; refuses an existing id. Everything is
   * private (folders 0700, files 0600), and an existing `.caisson` and runs folder are set back to 0700:
   * older records inside (0644 files) then stop being readable by others too.
   */
  create(meta: RunMeta, ir: PipelineIR): RunRecord {
    const dir = join(this.runsDir, meta.runId);
    try {
      mkdirPrivate(this.runsDir);
      tightenDir(this.runsDir);
      if (basename(dirname(this.runsDir)) === '.caisson') tightenDir(dirname(this.runsDir));
      mkdirSync(dir, { mode: PRIVATE_DIR });
      chmodSync(dir, PRIVATE_DIR);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EEXIST' ? 'a run with this id is already recorded' : `${code ?? (e as Error).message}`;
      throw new RunRecordError(`cannot record run ${meta.runId} under ${this.runsDir}: ${why}`, { runId: meta.runId, file: this.runsDir, cause: e });
    }
    writeJsonAtomic(join(dir, IR_FILE), ir);
    writeJsonAtomic(join(dir, META_FILE), meta);
    return new RunRecord(dir, meta.runId);
  }

  /** Ids of recorded runs (folders with a meta.json), newest first. */
  ids(): string[] {
    if (!existsSync(this.runsDir)) return [];
    const found = readdirSync(this.runsDir)
      .filter((id) => existsSync(join(this.runsDir, id, META_FILE)))
      .map((id) => ({ id, created: statSync(join(this.runsDir, id, META_FILE)).mtimeMs }));
    // Ids start with a UTC timestamp, so they sort by creation; the file time breaks ties within a second.
    return found.sort((a, b) => (a.id.slice(0, 15) === b.id.slice(0, 15) ? b.created - a.created : a.id < b.id ? 1 : -1)).map((r) => r.id);
  }

  /** The record of an exact id; its meta.json is checked first, so a newer-version record is refused at once. */
  open(id: string): RunRecord {
    if (!existsSync(join(this.runsDir, id, META_FILE))) throw new RunNotFoundError(id, `no run ${id} under ${this.runsDir}`);
    const record = new RunRecord(join(this.runsDir, id), id);
    record.loadMeta();
    return record;
  }

  /** A run by full id, unique id prefix, or "latest"; RunNotFoundError lists the closest ids. */
  find(ref: string): RunRecord {
    return this.open(pickRun(ref, this.ids(), this.runsDir));
  }
}

/**
 * The id `ref` names among `ids` (newest first): a full id, a unique prefix, or "latest".
 * @param where where the ids come from, for the messages ("under <runs folder>")
 * @throws RunNotFoundError for no runs, an unknown or an ambiguous ref, naming the closest ids
 */
export function pickRun(ref: string, ids: readonly string[], where: string): string {
  if (ids.length === 0) throw new RunNotFoundError(ref, `no runs recorded under ${where}; start one with caisson run FILE (or point --dir at the pipeline's folder)`);
  if (ref === 'latest') return ids[0]!;
  if (ids.includes(ref)) return ref;
  const matches = ids.filter((id) => id.startsWith(ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new RunNotFoundError(ref, `run "${ref}" is ambiguous: it starts ${matches.length} run ids (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}); give more of the id`, matches);
  }
  const close = closestIds(ref, ids);
  throw new RunNotFoundError(ref, `no run "${ref}" under ${where}${close.length ? `; closest: ${close.join(', ')}` : ''} (caisson runs lists them)`, close);
}

/** Up to 3 ids sharing the longest prefix with `ref`. */
function closestIds(ref: string, ids: readonly string[]): string[] {
  const common = (id: string) => { let i = 0; while (i < ref.length && i < id.length && ref[i] === id[i]) i++; return i; };
  const scored = ids.map((id) => ({ id, n: common(id) })).filter((s) => s.n > 0).sort((a, b) => b.n - a.n);
  return scored.slice(0, 3).map((s) => s.id);
}
