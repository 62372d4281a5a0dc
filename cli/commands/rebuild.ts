/**
 * `caisson rebuild <run> [image]`: builds the run's image (or all of its images) again, even when its
 * content address exists, and resets the nodes that use it; `caisson resume` then runs them on it.
 */
import { execNodes, recordControl, restoreRun } from '../../core/plugin-kit.ts';
import { UsageError } from '../usage-error.ts';
import { closeMatches } from '../records/close-matches.ts';
import { type DirOption, findRecord, refuseWhileRunning } from '../records/open-run.ts';
import { resolveImages, saveImages } from './resume.ts';

/** Rebuilds, then resets every Exec on the rebuilt image(s) that has run. */
export async function rebuildCommand(ref: string, image: string | undefined, opts: DirOption): Promise<number> {
  const record = findRecord(opts, ref);
  const replayed = record.replay();
  refuseWhileRunning(record, replayed, 'rebuild');
  const meta = record.loadMeta();
  const ir = record.loadIr();
  const names = Object.keys(ir.images);
  if (image !== undefined && !names.includes(image)) {
    throw new UsageError(`run ${record.id} has no image "${image}"; its images: ${names.length ? closeMatches(image, names, 8).join(', ') : '(none)'}`);
  }
  const rebuilt = image !== undefined ? [image] : names;
  const refs = await resolveImages(meta, ir, rebuilt);
  saveImages(record, meta, refs);

  const run = restoreRun(ir, record.id, replayed.statuses);
  const users = execNodes(ir.root).filter((e) => rebuilt.includes(e.node.image) && run.status(e.path).state !== 'pending').map((e) => e.path);
  recordControl(record, run, { op: 'rebuild', paths: users, detail: { images: rebuilt } }, () => users.forEach((p) => run.reset(p)));
  const what = rebuilt.length === 1 ? `image "${rebuilt[0]}"` : `${rebuilt.length} images`;
  const built = meta.runtime === 'fake' ? ' (the fake runtime uses no images: nothing built)' : '';
  process.stdout.write(`rebuilt ${what}${built}; reset ${users.length} node${users.length === 1 ? '' : 's'} using it${users.length ? `: ${users.join(', ')}` : ''}; caisson resume ${record.id} runs them\n`);
  return 0;
}
