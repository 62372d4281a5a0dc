/**
 * The images a recorded run uses. `caisson run` records each resolved image (reference, id, shell,
 * workdir); resume runs them by id, so a changed file or a re-tag never changes a run's image (as
 * Conducto: reset never rebuilds). Only `caisson rebuild` replaces them. A recorded image gone from the
 * daemon is one error that says how to get it back.
 */
import { join } from 'node:path';
import {
  createCaisson, RecordedImageMissingError, writeJsonAtomic, META_FILE,
  type ImageEvent, type PipelineIR, type RecordedImage, type ResolvedImage, type RunMeta, type RunRecord,
} from '../../core/plugin-kit.ts';
import { placeholderImages } from '../../plugins/runtime-fake/index.ts';
import { imagePlugins } from '../image-plugins.ts';
import { loadPipelinePlugins } from '../pipeline-plugins.ts';
import { printImageEvent } from '../run-reporter.ts';
import { runtimePlugin, runtimeProvider } from '../runtimes.ts';
import { imageSecrets } from '../run-secrets.ts';

/** What a record keeps of resolved images. */
export const recordImages = (resolved: Record<string, ResolvedImage>): Record<string, RecordedImage> =>
  Object.fromEntries(Object.entries(resolved).map(([name, r]) => [name, {
    ref: r.ref, ...(r.id ? { id: r.id } : {}), ...(r.shell ? { shell: r.shell } : {}), ...(r.workdir ? { workdir: r.workdir } : {}),
  }]));

/** The recorded image of `name`, whatever the record's age (a bare string is a reference). */
export function recordedImage(meta: RunMeta, name: string): RecordedImage | undefined {
  const r = meta.images?.[name];
  return typeof r === 'string' ? { ref: r } : r;
}

/** What a container of the run is created from: the recorded id, else the recorded reference. */
export const runnableRef = (r: RecordedImage): string => r.id ?? r.ref;

/**
 * The images resume runs: each recorded one by id; a plain reference the record lacks, as the IR has
 * it; placeholders on a runtime that uses no images (the fake). Throws RecordedImageMissingError for a built image with no
 * record or one gone from the daemon.
 */
export async function recordedRunImages(record: RunRecord, meta: RunMeta, ir: PipelineIR): Promise<Record<string, ResolvedImage>> {
  // The record keeps the runtime's name: its provider says whether it uses images at all.
  const noImages = (await runtimeProvider(meta.runtime)).capabilities.images === 'none';
  const fallback = noImages ? placeholderImages(ir) : {};
  const out: Record<string, ResolvedImage> = {};
  const unrecorded: string[] = [];
  for (const spec of Object.values(ir.images)) {
    const r = recordedImage(meta, spec.name);
    if (r) out[spec.name] = { ref: runnableRef(r), ...(r.id ? { id: r.id } : {}), ...(r.shell ? { shell: r.shell } : {}), ...(r.workdir ? { workdir: r.workdir } : {}) };
    else if (fallback[spec.name]) out[spec.name] = fallback[spec.name]!;
    else if (spec.kind === 'ref') out[spec.name] = { ref: spec.ref, ...(spec.shell ? { shell: spec.shell } : {}) };
    else unrecorded.push(spec.name);
  }
  const rebuild = (names: string[]) => `caisson rebuild ${record.id}${names.length === 1 ? ` ${names[0]}` : ''} builds ${names.length === 1 ? 'it' : 'them'} again`;
  if (unrecorded.length) {
    throw new RecordedImageMissingError(`run ${record.id} recorded no image for ${unrecorded.map((n) => `"${n}"`).join(', ')}; ${rebuild(unrecorded)}`, { runId: record.id, images: unrecorded });
  }
  if (noImages) return out;
  const { images } = createCaisson({ plugins: [await runtimePlugin(meta.runtime), ...await imagePlugins(await loadPipelinePlugins(meta.file))] });
  const absent = new Set(await images.absent([...new Set(Object.values(out).map((r) => r.ref))]));
  const gone = Object.keys(out).filter((n) => absent.has(out[n]!.ref));
  if (gone.length) {
    const described = gone.map((n) => {
      const r = recordedImage(meta, n) ?? { ref: out[n]!.ref };
      return `image "${n}" (${r.ref}${r.id ? `, ${r.id.slice(0, 19)}…` : ''})`;
    });
    throw new RecordedImageMissingError(`run ${record.id}: ${described.join(', ')} ${gone.length === 1 ? 'is' : 'are'} no longer in the Docker daemon; ${rebuild(gone)}`, { runId: record.id, images: gone });
  }
  return out;
}

/** Builds `names` again for the record's runtime, every step re-run (placeholders on a runtime without images). */
export async function rebuildImages(meta: RunMeta, ir: PipelineIR, names: readonly string[], signal?: AbortSignal, onEvent: (e: ImageEvent) => void = printImageEvent(process.stdout)): Promise<Record<string, ResolvedImage>> {
  if ((await runtimeProvider(meta.runtime)).capabilities.images === 'none') return Object.fromEntries(Object.entries(placeholderImages(ir)).filter(([n]) => names.includes(n)));
  const { images } = createCaisson({ plugins: [await runtimePlugin(meta.runtime), ...await imagePlugins(await loadPipelinePlugins(meta.file))] });
  const secrets = imageSecrets(images, ir, meta.file);
  return images.resolveAll(ir, { onEvent, only: names, rebuild: names, ...(signal ? { signal } : {}), ...(secrets ? { secrets } : {}) });
}

/** Replaces the recorded images of the names in `resolved` (the others stay as recorded). */
export function saveImages(record: RunRecord, meta: RunMeta, resolved: Record<string, ResolvedImage>): void {
  writeJsonAtomic(join(record.dir, META_FILE), { ...meta, images: { ...meta.images, ...recordImages(resolved) } });
}
