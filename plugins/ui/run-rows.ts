/**
 * The runs list, kept cheap to refresh (the page asks every 2 s, and under `caisson run --ui` the server
 * shares the runner's process): a run no process executes is read whole once and its row kept until its
 * files change; a live run's row comes from the server's incremental watch of it (only appended bytes
 * are read). Reading every record whole on every refresh cost ~0.5 s per 10,000-node run.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { activeMs, viewRun, type NodeStatus, type PipelineIR, type RunMeta, type RunRecord } from '../../core/plugin-kit.ts';
import { countsOf, type RunRow, type RunSource } from './run-api.ts';
import type { RunWatch } from './run-watch.ts';

/** What a row is made from: a RunView or a RunWatch. */
interface Readout { meta: RunMeta; ir: PipelineIR; state: string; runner: string; statuses: Record<string, NodeStatus>; durationMs?: number }

/** One row from a readout. */
function rowOf(id: string, v: Readout): RunRow {
  const root = v.statuses[`/${v.ir.root.name}`];
  return {
    id, pipeline: v.meta.pipeline, state: v.state, runner: v.runner, counts: countsOf(v.statuses), createdAt: v.meta.createdAt,
    ...(root?.startedAt !== undefined ? { startedAt: root.startedAt } : {}), ...(root?.endedAt !== undefined ? { endedAt: root.endedAt } : {}),
    ...(v.durationMs !== undefined ? { durationMs: v.durationMs } : {}),
  };
}

/** What says a record's files changed: the log's size, the IR copy's and meta's modification times. */
function signatureOf(record: RunRecord): string {
  const at = (name: string) => { try { const s = statSync(join(record.dir, name)); return `${s.size}:${s.mtimeMs}`; } catch { return '-'; } };
  return `${at('events.jsonl')}|${at('ir.json')}|${at('meta.json')}`;
}

/** The runs list of a server. */
export class RunRows {
  private readonly settled = new Map<string, { signature: string; row: RunRow }>();
  private readonly live = new Set<string>();

  /** @param watchOf the server's incremental watch of a record (used for live runs) */
  constructor(private readonly watchOf: (record: RunRecord) => RunWatch) {}

  /** Every run of `source`, newest first. A record that cannot be read is a row saying why. */
  list(source: RunSource): RunRow[] {
    return source.ids().map((id) => {
      try {
        const record = source.open(id);
        if (this.live.has(record.dir)) {
          const w = this.watchOf(record);
          const durationMs = activeMs(w.projection, w.runner === 'running', Date.now());
          const row = rowOf(id, { meta: w.meta, ir: w.ir, state: w.state, runner: w.runner, statuses: w.statuses(), ...(durationMs !== undefined && { durationMs }) });
          if (w.runner === 'running') return row;
          this.live.delete(record.dir);
        }
        const signature = signatureOf(record);
        const kept = this.settled.get(record.dir);
        if (kept && kept.signature === signature) return kept.row;
        const view = viewRun(record);
        // A live row is never kept (its runner may die without a byte changing): the watch keeps it current.
        if (view.runner === 'running') { this.live.add(record.dir); this.settled.delete(record.dir); return rowOf(id, view); }
        const row = rowOf(id, view);
        this.settled.set(record.dir, { signature, row });
        return row;
      } catch (e) {
        return { id, pipeline: '?', state: 'unreadable', runner: 'none', counts: {}, createdAt: 0, error: (e as Error).message };
      }
    });
  }
}
