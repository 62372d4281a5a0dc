/**
 * `caisson resume <run>`: runs what is pending in a recorded run, in this process, appending to the
 * same log. Nodes the previous runner left unfinished (it was killed, or Ctrl-C cancelled them) are
 * reset first; attempts continue from the record.
 */
import { join } from 'node:path';
import {
  CANCELLED, createCaisson, execNodes, recordControl, RunRecorder, writeJsonAtomic,
  META_FILE, type ImageEvent, type NodeStatus, type ResolvedImage, type PipelineIR, type RunMeta, type RunRecord,
} from '../../core/index.ts';
import { printImageEvent, runReporter } from '../run-reporter.ts';
import { runSecrets } from '../run-secrets.ts';
import { imagePlugins } from '../image-plugins.ts';
import { loadPipelinePlugins } from '../pipeline-plugins.ts';
import { runtimePlugin } from '../runtimes.ts';
import { type DirOption, findRecord, refuseWhileRunning } from '../records/open-run.ts';
import { executeRun } from '../records/execute-run.ts';
import { imageRefs, outputOptions, warnRecordingFailed } from '../records/record-run.ts';
import { indexRecord, recordedLine } from '../records/known-runs.ts';

/** Exec paths whose work was cut short: in progress when the runner stopped, or cancelled by Ctrl-C. */
export function unfinishedExecs(ir: PipelineIR, statuses: Record<string, NodeStatus>): string[] {
  return execNodes(ir.root).map((e) => e.path).filter((p) => {
    const s = statuses[p];
    return s !== undefined && (s.state === 'running' || s.state === 'queued' || (s.state === 'killed' && s.reason === CANCELLED));
  });
}

/** Image name → resolved image (ref, shell, workdir) for the record's runtime (built when missing; none for the fake runtime). */
export async function resolveImages(
  meta: RunMeta, ir: PipelineIR, rebuild?: readonly string[],
  onEvent: (e: ImageEvent) => void = printImageEvent(process.stdout),
): Promise<Record<string, ResolvedImage> | undefined> {
  if (meta.runtime === 'fake') return undefined;
  const { images } = createCaisson({ plugins: [runtimePlugin(meta.runtime), ...imagePlugins(await loadPipelinePlugins(meta.file))] });
  return images.resolveAll(ir, { onEvent, ...(rebuild ? { rebuild } : {}) });
}

/** Keeps meta.json's image refs those of the latest runner. */
export function saveImages(record: RunRecord, meta: RunMeta, resolved: Record<string, ResolvedImage> | undefined): void {
  if (resolved) writeJsonAtomic(join(record.dir, META_FILE), { ...meta, images: imageRefs(resolved) });
}

/** Resumes the run; resolves to the exit code (0 only when the root ends done). */
export async function resumeCommand(ref: string, opts: DirOption): Promise<number> {
  const output = outputOptions();
  const record = findRecord(opts, ref);
  const replayed = record.replay();
  refuseWhileRunning(record, replayed, 'resume');
  const meta = record.loadMeta();
  const ir = record.loadIr();
  const secrets = runSecrets(ir, meta.file);
  const reporter = runReporter(ir);
  let refs: Record<string, ResolvedImage> | undefined;
  try {
    refs = await resolveImages(meta, ir, undefined, (e) => reporter.onImageEvent(e));
  } catch (e) {
    reporter.stop();
    throw e;
  }
  saveImages(record, meta, refs);

  const { engine } = createCaisson({ plugins: [runtimePlugin(meta.runtime)], capacity: meta.capacity });
  const run = engine.createRun(ir, {
    runId: record.id, initial: replayed.statuses,
    ...(secrets ? { secrets } : {}), ...(refs ? { images: refs } : {}),
  });
  const again = unfinishedExecs(ir, replayed.statuses);
  if (again.length) recordControl(record, run, { op: 'resume', paths: again }, () => again.forEach((p) => run.reset(p)));
  const recorder = new RunRecorder(run, record, 'resume', warnRecordingFailed(record.id), output);
  indexRecord(record, ir.name);
  try {
    return await executeRun(run, reporter);
  } finally {
    recorder.close();
    process.stdout.write(`\n${recordedLine(record)}\n`);
  }
}
