/**
 * What the UI's views read (the runs list is run-rows.ts): one run's snapshot (its tree, every node's status and
 * attempts, the runner), a node's panel and pages of an attempt's log. Everything comes from the run
 * record through core's one projection (viewRun), never from the Docker daemon, so it outlives the
 * containers; the server masks every reply with the run's secrets on the way out.
 */
import { existsSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { isAbsolute, resolve, dirname } from 'node:path';
import {
  execText, findNode, FolderArtifactStore, optionOrigins, outputFileOf,
  type ExecNode, type Node, type NodeStatus, type RunRecord,
} from '../../core/plugin-kit.ts';
import { HttpError } from './http-util.ts';
import type { RunWatch } from './run-watch.ts';

/** Where the server finds runs: the ids it may show and how to open one. */
export interface RunSource {
  /** Run ids, newest first. */
  ids(): string[];
  /** The record of one of those ids. */
  open(id: string): RunRecord;
}

/** One row of the runs list. */
export interface RunRow {
  id: string; pipeline: string; state: string; runner: string; counts: Record<string, number>;
  createdAt: number; startedAt?: number; endedAt?: number; error?: string;
  /** How long it has executed, over the run and every resume (as of this reply). */
  durationMs?: number;
}

/** The record of `id`, if it is one the source lists (an id is never used as a path by itself). */
export function recordOf(source: RunSource, id: string): RunRecord {
  if (!/^[\w.-]{1,200}$/.test(id) || id.includes('..') || !source.ids().includes(id)) throw new HttpError(404, `no run ${JSON.stringify(id.slice(0, 80))}`);
  return source.open(id);
}

/** Counts of every node by state (Conducto's P Q R D E K). */
export function countsOf(statuses: Record<string, NodeStatus>): Record<string, number> {
  const counts: Record<string, number> = { pending: 0, queued: 0, running: 0, done: 0, error: 0, killed: 0 };
  for (const s of Object.values(statuses)) counts[s.state]!++;
  return counts;
}

/** The tree in pre-order, compactly: [name, kind letter, parent index] per node. */
export function compactTree(root: Node): Array<[string, 'e' | 's' | 'p', number]> {
  const out: Array<[string, 'e' | 's' | 'p', number]> = [];
  const visit = (n: Node, parent: number) => {
    const at = out.length;
    out.push([n.name, n.kind === 'exec' ? 'e' : n.kind === 'serial' ? 's' : 'p', parent]);
    if (n.kind !== 'exec') for (const c of n.children) visit(c, at);
  };
  visit(root, -1);
  return out;
}

/** What the run view starts from; `offset` is where its event stream goes on. */
export function snapshotOf(record: RunRecord, w: RunWatch): Record<string, unknown> {
  const r = w.projection.runner;
  return {
    id: record.id, pipeline: w.meta.pipeline, state: w.state, offset: w.offset,
    meta: { file: w.meta.file, exportName: w.meta.exportName, runtime: w.meta.runtime, createdAt: w.meta.createdAt },
    runner: { state: w.runner, ...(r ? { pid: r.pid, host: r.host, command: r.command, at: r.at } : {}) },
    tree: compactTree(w.ir.root), statuses: w.statuses(), attempts: Object.fromEntries(w.projection.attempts),
    images: Object.fromEntries(Object.entries(w.ir.images).map(([n, spec]) => [n, spec.kind])),
  };
}

/** A node's panel: what it runs, with what, where each option came from, its image, timings and attempts. */
export function nodeDetail(record: RunRecord, w: RunWatch, path: string, debugCommand: (record: RunRecord, path: string) => string): Record<string, unknown> {
  let node: Node;
  try { node = findNode(w.ir.root, path); } catch { throw new HttpError(404, `run ${record.id} has no node ${JSON.stringify(path.slice(0, 200))}`); }
  const base = { path, kind: node.kind, name: node.name, status: w.statuses()[path], attempts: w.projection.attempts.get(path) ?? [], options: optionOrigins(w.ir.root, path), doc: node.doc };
  if (node.kind !== 'exec') return { ...base, children: node.children.length };
  const exec = node as ExecNode;
  const spec = w.ir.images[exec.image];
  const recorded = w.meta.images?.[exec.image];
  return {
    ...base,
    // A native node shows its call (`fn build(2) from ./pipeline.ts`) where a command would be.
    command: exec.command ?? execText(exec), ...(exec.call ? { call: exec.call } : {}), env: exec.env, secrets: exec.secrets ?? {}, container: exec.container,
    image: { name: exec.image, spec, recorded: typeof recorded === 'string' ? { ref: recorded } : recorded, dockerfile: dockerfileOf(spec, w.meta.file) },
    outputAttempts: record.outputAttempts(path), debugCommand: debugCommand(record, path),
    // Declared artifacts this node stored (caisson artifact extracts one); its inputs are in `options`.
    artifacts: new FolderArtifactStore(record.dir).list().filter((a) => a.node === path),
  };
}

/**
 * The Dockerfile of a `dockerfile` image: its inline text, or the file the IR names (read because the
 * run's own IR names it, never because a request did). Generated kinds show their definition instead.
 */
function dockerfileOf(spec: unknown, pipelineFile: string): string | undefined {
  const s = spec as { kind?: string; dockerfileText?: string; dockerfile?: string } | undefined;
  if (s?.kind !== 'dockerfile') return undefined;
  if (s.dockerfileText !== undefined) return s.dockerfileText;
  if (s.dockerfile === undefined) return undefined;
  const file = isAbsolute(s.dockerfile) ? s.dockerfile : resolve(dirname(pipelineFile), s.dockerfile);
  try { return statSync(file).size < 1_000_000 ? readFileSync(file, 'utf8') : '(Dockerfile over 1 MB: not shown)'; } catch { return undefined; }
}

/** The most one log page holds. */
export const PAGE_BYTES = 256 * 1024;

/**
 * One page of an attempt's output, by byte offsets at line starts: from `from` (default: the start of
 * the last page, so a big log opens at its end) up to `to` (exclusive) or a page's worth. The node
 * path must be a node of the run and the attempt a number: the file is found from them, never from the
 * request's text.
 */
export function logPage(record: RunRecord, w: RunWatch, path: string, attempt: number, range: { from?: number; to?: number }): Record<string, unknown> {
  try { if (findNode(w.ir.root, path).kind !== 'exec') throw new Error('not an exec'); } catch { throw new HttpError(404, `run ${record.id} has no Exec ${JSON.stringify(path.slice(0, 200))}`); }
  if (!Number.isInteger(attempt) || attempt < 1) throw new HttpError(400, 'attempt: expected a whole number ≥ 1');
  const file = outputFileOf(record.dir, path, attempt);
  const size = existsSync(file) ? statSync(file).size : 0;
  const to = Math.min(range.to ?? size, size);
  const from = range.from ?? lineStartBefore(file, Math.max(0, to - PAGE_BYTES));
  if (from > to) throw new HttpError(400, 'from is after to');
  const follower = record.followOutput(path, attempt, from);
  const chunks = [];
  let end = from;
  for (let batch = follower.read(64 * 1024); batch.length && end < to; batch = follower.read(64 * 1024)) {
    for (const c of batch) chunks.push({ at: c.at, stream: c.stream, data: c.data, ...(c.marker ? { marker: true } : {}) });
    end = follower.offset;
    if (end - from >= PAGE_BYTES) break;
  }
  const state = w.statuses()[path];
  const running = state?.attempt === attempt && (state.state === 'running' || state.state === 'queued') && w.runner === 'running';
  return { path, attempt, from, to: end, size, chunks, more: end < size, running };
}

/** The start of the line that holds byte `at` (0 at the top). */
function lineStartBefore(file: string, at: number): number {
  if (at <= 0 || !existsSync(file)) return 0;
  const fd = openSync(file, 'r');
  try {
    const window = Buffer.alloc(Math.min(at, 64 * 1024));
    for (let end = at; end > 0;) {
      const start = Math.max(0, end - window.length);
      const n = readSync(fd, window, 0, end - start, start);
      const nl = window.subarray(0, n).lastIndexOf(0x0a);
      if (nl >= 0) return start + nl + 1;
      end = start;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}
