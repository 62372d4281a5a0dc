/**
 * Finding what a record command names: the runs folder (./.caisson/runs or --dir), the run (id, prefix
 * or "latest") and a node path in that run's IR. Every miss is one UsageError (exit 2) naming it.
 */
import { resolve } from 'node:path';
import {
  RunNotFoundError, RunStore, runnerStateOf, runsDirOf, walk,
  type PipelineIR, type ReplayedRun, type RunRecord,
} from '../../core/plugin-kit.ts';
import { UsageError } from '../usage-error.ts';
import { closeMatches } from './close-matches.ts';

/** Option every record command takes. */
export interface DirOption {
  /** The folder whose .caisson/runs holds the records (the pipeline file's folder); default: the cwd. */
  dir?: string;
}

/** The run store for --dir (default: the current directory). */
export const storeFor = (opts: DirOption): RunStore => new RunStore(runsDirOf(resolve(opts.dir ?? '.')));

/** The record `ref` names; UsageError for an unknown or ambiguous ref. */
export function findRecord(opts: DirOption, ref: string): RunRecord {
  try {
    return storeFor(opts).find(ref);
  } catch (e) {
    if (e instanceof RunNotFoundError) throw new UsageError(e.message);
    throw e;
  }
}

/** The normalised path ("/p/a") of a node of `ir`; UsageError listing close paths otherwise. */
export function checkNodePath(ir: PipelineIR, path: string, runId: string): string {
  const normalised = '/' + path.split('/').filter(Boolean).join('/');
  const paths: string[] = [];
  walk(ir.root, (_n, p) => paths.push(p));
  if (paths.includes(normalised)) return normalised;
  throw new UsageError(`run ${runId} has no node ${path}; closest: ${closeMatches(normalised, paths).join(', ')} (caisson show ${runId} prints the tree)`);
}

/** Control actions change a record only while no process executes it. */
export function refuseWhileRunning(record: RunRecord, replayed: ReplayedRun, action: string): void {
  if (runnerStateOf(replayed) !== 'running') return;
  const r = replayed.runner!;
  throw new UsageError(`cannot ${action} run ${record.id}: it is being run by pid ${r.pid} on ${r.host}; wait for it or stop it (Ctrl-C), then try again`);
}
