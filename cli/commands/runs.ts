/**
 * `caisson runs`: the recorded runs, newest first, one line each. Without --dir: the runs recorded in
 * ./.caisson/runs and those started from here but recorded next to their pipeline file elsewhere (with
 * the folder they are in); with none at all, where the latest runs are.
 */
import { relative } from 'node:path';
import { viewRun, type RunRecord } from '../../core/plugin-kit.ts';
import { type DirOption, sameFolder, startedHere, storeFor } from '../records/open-run.ts';
import { runIndex, shownFolder } from '../records/known-runs.ts';

import { countsLine, formatElapsed, paintState } from '../state-text.ts';

/** Prints id, pipeline, state, counts, start and duration of every run under the runs folder. */
export function runsCommand(opts: DirOption): number {
  const store = storeFor(opts);
  const index = opts.dir === undefined ? runIndex().entries() : [];
  const here = opts.dir === undefined ? startedHere(store, index) : { ids: store.ids(), open: (id: string) => store.open(id), elsewhere: [] };
  if (here.ids.length === 0) {
    process.stdout.write(`no runs recorded under ${relative('.', store.runsDir) || '.'}\n`);
    const others = index.filter((e) => !sameFolder(e.dir, '.')).slice(0, 5);
    if (others.length) {
      process.stdout.write('the latest runs recorded elsewhere (caisson show ID finds one anywhere; caisson runs --dir FOLDER lists a folder):\n');
      for (const e of others) process.stdout.write(`  ${e.runId}  ${e.pipeline}  in ${shownFolder(e.dir)}\n`);
    }
    return 0;
  }
  const color = Boolean(process.stdout.isTTY);
  const elsewhere = new Map(here.elsewhere.map((e) => [e.runId, shownFolder(e.dir)]));
  const rows = here.ids.map((id) => {
    const where = elsewhere.has(id) ? [`${elsewhere.get(id)}/.caisson/runs`] : elsewhere.size ? ['.caisson/runs'] : [];
    try {
      return [...row(here.open(id), color), ...where];
    } catch (e) {
      return [id, '?', `unreadable: ${(e as Error).message.split('\n')[0]}`, '', '', '', ...where];
    }
  });
  const header = ['ID', 'PIPELINE', 'STATE', 'COUNTS', 'STARTED (UTC)', 'DURATION', ...(elsewhere.size ? ['RECORDED IN'] : [])];
  // Colour codes have no width: pad on the visible text.
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]!).length)));
  for (const r of [header, ...rows]) {
    process.stdout.write(`${r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell).length))).join('  ')}\n`);
  }
  return 0;
}

/** One run's cells. */
function row(record: RunRecord, color: boolean): string[] {
  const v = viewRun(record);
  const state = v.runner === 'running' ? 'running' : v.runner === 'gone' ? `${v.state} (runner gone)` : v.state;
  // Over the first run and every resume, not the time between them.
  const duration = v.durationMs !== undefined ? formatElapsed(v.durationMs) : '-';
  return [record.id, v.meta.pipeline, paintState(v.state, state, color), countsLine(Object.values(v.statuses)), new Date(v.meta.createdAt).toISOString().slice(0, 19).replace('T', ' '), duration];
}
