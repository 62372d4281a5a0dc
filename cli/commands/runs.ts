/** `caisson runs`: the recorded runs, newest first, one line each. */
import { relative } from 'node:path';
import { type DirOption, storeFor } from '../records/open-run.ts';
import { viewRun } from '../records/run-view.ts';
import { countsLine, formatElapsed, paintState } from '../state-text.ts';

/** Prints id, pipeline, state, counts, start and duration of every run under the runs folder. */
export function runsCommand(opts: DirOption): number {
  const store = storeFor(opts);
  const ids = store.ids();
  if (ids.length === 0) {
    process.stdout.write(`no runs recorded under ${relative('.', store.runsDir) || '.'}\n`);
    return 0;
  }
  const color = Boolean(process.stdout.isTTY);
  const rows = ids.map((id) => {
    try {
      const v = viewRun(store.open(id));
      const root = v.statuses[`/${v.ir.root.name}`];
      const state = v.runner === 'running' ? 'running' : v.runner === 'gone' ? `${v.state} (runner gone)` : v.state;
      const duration = root?.startedAt !== undefined ? formatElapsed((root.endedAt ?? (v.runner === 'running' ? Date.now() : root.startedAt)) - root.startedAt) : '-';
      return [id, v.meta.pipeline, paintState(v.state, state, color), countsLine(Object.values(v.statuses)), new Date(v.meta.createdAt).toISOString().slice(0, 19).replace('T', ' '), duration];
    } catch (e) {
      return [id, '?', `unreadable: ${(e as Error).message.split('\n')[0]}`, '', '', ''];
    }
  });
  const header = ['ID', 'PIPELINE', 'STATE', 'COUNTS', 'STARTED (UTC)', 'DURATION'];
  // Colour codes have no width: pad on the visible text.
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]!).length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell).length))).join('  ')}\n`);
  }
  return 0;
}
