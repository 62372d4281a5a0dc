/**
 * Finding what a record command names: the runs folder (./.caisson/runs or --dir), the run (id, prefix
 * or "latest") and a node path in that run's IR. Every miss is one error (exit 2) naming it.
 *
 * Without --dir, a folder's runs are those recorded in its .caisson/runs and those started from it but
 * recorded next to their pipeline file elsewhere (the per-user index knows them), so `caisson show` right
 * after `caisson run sub/p.ts` shows that run. A run id or prefix found in neither is looked up in the
 * whole index, so `caisson show <id>` finds a run recorded anywhere.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  RunNotFoundError, RunStore, pickRun, runnerStateOf, runsDirOf, serviceNodes, walk,
  type PipelineIR, type ReplayedRun, type RunIndexEntry, type RunRecord,
} from '../../core/plugin-kit.ts';
import { UsageError } from '../usage-error.ts';
import { closeMatches } from './close-matches.ts';
import { elsewhereHint, openEntry, runIndex } from './known-runs.ts';

/** Option every record command takes. */
export interface DirOption {
  /** The folder whose .caisson/runs holds the records (the pipeline file's folder); default: the cwd. */
  dir?: string;
}

/** The run store for --dir (default: the current directory). */
export const storeFor = (opts: DirOption): RunStore => new RunStore(runsDirOf(resolve(opts.dir ?? '.')));

/** The record `ref` names; RunNotFoundError (exit 2) for an unknown or ambiguous ref. */
export function findRecord(opts: DirOption, ref: string): RunRecord {
  if (opts.dir !== undefined) return storeFor(opts).find(ref);
  return findHere(ref);
}

/** The same folder, whatever symlinks lead to it. */
export const sameFolder = (a: string, b: string): boolean => {
  const real = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };
  return real(a) === real(b);
};

/** A run of this folder (recorded here or started here), else one the index knows by id or prefix. */
function findHere(ref: string): RunRecord {
  const store = storeFor({});
  const index = runIndex().entries();
  const here = startedHere(store, index);
  try {
    return here.open(pickRun(ref, here.ids, store.runsDir));
  } catch (e) {
    if (!(e instanceof RunNotFoundError) || ref === 'latest' || e.candidates.length > 1) throw withHint(e, index);
  }
  // Not one of this folder's: any run the index knows, by id or unique prefix.
  const exact = index.filter((x) => x.runId === ref);
  const found = exact.length ? exact : index.filter((x) => x.runId.startsWith(ref));
  if (found.length === 1) return openEntry(found[0]!);
  try {
    pickRun(ref, [...here.ids, ...index.map((x) => x.runId)], `${store.runsDir} or among the recent runs recorded elsewhere`);
  } catch (e) {
    throw withHint(e, index);
  }
  throw new RunNotFoundError(ref, `run "${ref}" is ambiguous`);
}

/** This folder's runs, newest first: its own records, and the runs started from it recorded elsewhere. */
export function startedHere(store: RunStore, index: RunIndexEntry[]): { ids: string[]; open(id: string): RunRecord; elsewhere: RunIndexEntry[] } {
  const local = store.ids();
  const known = new Set(local);
  const elsewhere = index.filter((e) => !known.has(e.runId) && sameFolder(e.cwd, '.') && !sameFolder(e.dir, '.'));
  const ids = [...local, ...elsewhere.map((e) => e.runId)].sort((a, b) => (a.slice(0, 15) === b.slice(0, 15) ? 0 : a < b ? 1 : -1));
  const byId = new Map(elsewhere.map((e) => [e.runId, e]));
  return { ids, elsewhere, open: (id) => (byId.has(id) ? openEntry(byId.get(id)!) : store.open(id)) };
}

/** The error, told where else runs are recorded when there are any. */
function withHint(e: unknown, index: RunIndexEntry[]): unknown {
  if (!(e instanceof RunNotFoundError)) return e;
  const hint = elsewhereHint(index, '.');
  return hint ? new RunNotFoundError(e.ref, `${e.message}${hint}`, e.candidates) : e;
}

/**
 * The normalised path ("/p/a") of a node of `ir`; UsageError listing close paths otherwise. `where` is
 * the run id, or for a pipeline file what was loaded from it (its message and the command printing its tree).
 */
export function checkNodePath(ir: PipelineIR, path: string, where: string | { subject: string; show: string; hint?: string }): string {
  const normalised = '/' + path.split('/').filter(Boolean).join('/');
  const paths: string[] = [];
  walk(ir.root, (_n, p) => paths.push(p));
  for (const s of serviceNodes(ir.root)) paths.push(s.path);
  if (paths.includes(normalised)) return normalised;
  const { subject, show, hint } = typeof where === 'string' ? { subject: `run ${where}`, show: `caisson show ${where}`, hint: undefined } : where;
  throw new UsageError(`${subject} has no node ${path}; ${hint ?? `closest: ${closeMatches(normalised, paths).join(', ')} (${show} prints the tree)`}`, { path });
}

/** Control actions change a record only while no process executes it. */
export function refuseWhileRunning(record: RunRecord, replayed: ReplayedRun, action: string): void {
  if (runnerStateOf(replayed) !== 'running') return;
  const r = replayed.runner!;
  throw new UsageError(`cannot ${action} run ${record.id}: it is being run by pid ${r.pid} on ${r.host}; wait for it or stop it (Ctrl-C), then try again`);
}
