/** `caisson show [run]`: a recorded run's tree with states, attempts and times (default: the latest run). */
import { join, relative } from 'node:path';
import { DATA_DIR, FolderArtifactStore, FolderDataStore, formatBytes, viewRun } from '../../core/plugin-kit.ts';
import { type DirOption, findRecord } from '../records/open-run.ts';

import { clockTime, renderStatusTree } from '../records/status-tree.ts';
import { countsLine, paintState } from '../state-text.ts';

const RUNNER_WORDS = {
  none: 'never started',
  finished: 'finished',
  running: 'running',
  gone: 'gone before the run finished: nodes it was running are shown killed; caisson resume continues it',
} as const;

/** Prints the header, the tree and the counts. */
export function showCommand(ref: string | undefined, opts: DirOption): number {
  const v = viewRun(findRecord(opts, ref ?? 'latest'));
  const color = Boolean(process.stdout.isTTY);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const r = v.replayed.runner;
  out(`run ${v.record.id} of ${v.meta.pipeline} (${relative('.', v.meta.file) || v.meta.file}, runtime ${v.meta.runtime})`);
  out(`started ${new Date(v.meta.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC; runner${r ? ` pid ${r.pid} on ${r.host} (${r.command}, ${clockTime(r.at)})` : ''}: ${RUNNER_WORDS[v.runner]}`);
  if (v.replayed.damagedLines) out(`warning: ${v.replayed.damagedLines} damaged line(s) in the event log were skipped`);
  out('');
  out(renderStatusTree(v.ir, v.statuses, { color, now: Date.now() }));
  out('');
  // A failed hook changed no state: it is shown here instead.
  const failedHooks = v.replayed.failedHooks;
  if (failedHooks.length) {
    out(`hooks that failed (${v.replayed.firedHooks.size} fired):`);
    for (const h of failedHooks) out(`  ${h.path}  ${h.event} (attempt ${h.attempt}) → ${h.hook}: ${h.error ?? 'failed'}`);
    out('');
  }
  out(`${paintState(v.state, v.state.toUpperCase(), color)}  ${countsLine(Object.values(v.statuses))}`);
  const artifacts = new FolderArtifactStore(v.record.dir).list();
  if (artifacts.length) {
    out('');
    out('artifacts (caisson artifact RUN NODE [OUTPUT] --out DIR writes one to a folder):');
    const width = Math.max(...artifacts.map((a) => a.node.length));
    for (const a of artifacts) {
      out(`  ${a.node.padEnd(width)}  ${a.output}  ${a.files} file${a.files === 1 ? '' : 's'}, ${formatBytes(a.size)}  sha256:${a.sha256.slice(0, 12)}`);
    }
  }
  const names = new FolderDataStore(v.record.dir).list();
  if (names.length) {
    const shown = names.slice(0, 10).join(', ');
    out('');
    out(`data store: ${names.length} value${names.length === 1 ? '' : 's'} (${shown}${names.length > 10 ? ', …' : ''}), in ${relative('.', join(v.record.dir, DATA_DIR)) || DATA_DIR}`);
  }
  return 0;
}
