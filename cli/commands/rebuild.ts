/**
 * `caisson rebuild <run> [image]`: builds the run's image (or all of its built images) again, re-running
 * every step (no layer cache), records it, and resets the nodes that use it through the control layer:
 * a live run's runner runs them again on the new image at once; otherwise `caisson resume` does.
 * A plain reference has nothing to rebuild: it is said so, and its nodes are left as they are.
 */
import { UsageError } from '../usage-error.ts';
import { closeMatches } from '../records/close-matches.ts';
import { type DirOption, findRecord } from '../records/open-run.ts';
import { rebuildImages, recordImages, saveImages } from '../records/run-images.ts';
import { cancellable, cancelledExitCode } from '../cancellable.ts';
import { act } from './control.ts';
import { runtimeProvider } from '../runtimes.ts';

/** Rebuilds the built images named (default: all), then resets every Exec on them that has run. */
export async function rebuildCommand(ref: string, image: string | undefined, opts: DirOption): Promise<number> {
  const record = findRecord(opts, ref);
  const meta = record.loadMeta();
  const ir = record.loadIr();
  const names = Object.keys(ir.images);
  if (image !== undefined && !names.includes(image)) {
    throw new UsageError(`run ${record.id} has no image "${image}"; its images: ${names.length ? closeMatches(image, names, 8).join(', ') : '(none)'}`);
  }
  const asked = image !== undefined ? [image] : names;
  // A plain reference is used as it is: Caisson neither builds nor pulls it, so there is nothing to redo.
  const plain = asked.filter((n) => ir.images[n]!.kind === 'ref');
  const rebuilt = asked.filter((n) => ir.images[n]!.kind !== 'ref');
  const plainLines = plain.map((n) => `image "${n}" is a plain reference (${ir.images[n]!.ref}): nothing to rebuild`);
  if (rebuilt.length === 0) {
    process.stdout.write(`${plainLines.join('\n')}; no node was reset\n`);
    return 0;
  }
  // Only the rebuilt images' records change; the others stay as the run recorded them.
  const images = await cancellable((signal) => rebuildImages(meta, ir, rebuilt, signal), (line) => process.stderr.write(`${line}\n`));
  if (!images.done) {
    process.stderr.write(`caisson: rebuild cancelled; run ${record.id} is unchanged\n`);
    return cancelledExitCode(images.signal);
  }
  saveImages(record, meta, images.value);
  const outcome = await act(record, { op: 'rebuild', images: recordImages(images.value) });
  const users = outcome.entry.paths;
  const what = rebuilt.length === 1 ? `image "${rebuilt[0]}"` : `${rebuilt.length} images`;
  const built = (await runtimeProvider(meta.runtime)).capabilities.images === 'none' ? ` (the ${meta.runtime} runtime uses no images: nothing built)` : '';
  for (const line of plainLines) process.stdout.write(`${line}\n`);
  process.stdout.write(`rebuilt ${what}${built}; reset ${users.length} node${users.length === 1 ? '' : 's'} using it${users.length ? `: ${users.join(', ')}` : ''}; ${outcome.live ? 'the run\'s runner runs them again on it' : `caisson resume ${record.id} runs them`}\n`);
  return 0;
}
