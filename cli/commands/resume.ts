/**
 * `caisson resume <run>`: runs what is pending in a recorded run, in this process, appending to the
 * same log, on the images the run recorded (by id; it never builds). Nodes the previous runner left
 * unfinished (it was killed, or Ctrl-C cancelled them) are reset first; attempts continue from the record.
 */
import { runCache } from '../result-cache.ts';
import { dirname } from 'node:path';
import {
  CANCELLED, createCaisson, execNodes, FolderArtifactStore, FolderDataStore, walk, recordControl, RunRecorder, type NodeStatus, type PipelineIR, type Run, type RunRecord,
} from '../../core/plugin-kit.ts';
import { runReporter, type RunReporter } from '../run-reporter.ts';
import { loadPipeline } from '../load-pipeline.ts';
import { runSecrets } from '../run-secrets.ts';
import { nativePlugins, runtimePlugin } from '../runtimes.ts';
import { type DirOption, findRecord, refuseWhileRunning } from '../records/open-run.ts';
import { executeRun } from '../records/execute-run.ts';
import { listenForControl, outputOptions, warnRecordingFailed } from '../records/record-run.ts';
import { recordedRunImages } from '../records/run-images.ts';
import { indexRecord, recordedLine } from '../records/known-runs.ts';

/** Exec paths whose work was cut short: in progress when the runner stopped, or cancelled by Ctrl-C. */
export function unfinishedExecs(ir: PipelineIR, statuses: Record<string, NodeStatus>): string[] {
  return execNodes(ir.root).map((e) => e.path).filter((p) => {
    const s = statuses[p];
    return s !== undefined && (s.state === 'running' || s.state === 'queued' || (s.state === 'killed' && s.reason === CANCELLED));
  });
}

/**
 * A run's host-function hooks are in its IR by name: the functions come from its pipeline file, loaded
 * again (unchecked) only when it has some. A file that is gone or fails to load is said once; those
 * hooks then fail when they fire, recorded, and change no node's state.
 */
async function registerHookFunctions(ir: PipelineIR, file: string, exportName: string, note: (line: string) => void): Promise<void> {
  let any = false;
  walk(ir.root, (n) => { if (n.hooks?.some((h) => h.hook.kind === 'function')) any = true; });
  if (!any) return;
  try {
    await loadPipeline(file, exportName, { typecheck: false });
  } catch (e) {
    note(`hook functions: could not load ${file} to register them (${e instanceof Error ? e.message : String(e)}); those hooks will fail`);
  }
}

/** A resumed run, ready to start: its Run, recorder and live control, closed together. */
export interface ResumedRun {
  run: Run;
  recorder: RunRecorder;
  /** Closes live control, then the recorder. */
  close(): void;
}

/**
 * Prepares a resume of `record` in this process: the run restored on its recorded images (never built),
 * the unfinished Execs reset, a recorder and live control. Shared by `caisson resume` and the web UI.
 * @param note where live control says what it applied
 */
export async function prepareResume(record: RunRecord, note: (line: string) => void): Promise<ResumedRun> {
  const output = outputOptions();
  const replayed = record.replay();
  refuseWhileRunning(record, replayed, 'resume');
  const meta = record.loadMeta();
  const ir = record.loadIr();
  const secrets = runSecrets(ir, meta.file);
  await registerHookFunctions(ir, meta.file, meta.exportName, note);
  // The images the run recorded, by id: resume never builds (caisson rebuild replaces them).
  const images = await recordedRunImages(record, meta, ir);
  const runtime = await runtimePlugin(meta.runtime, { baseDir: dirname(meta.file) });
  const { engine } = createCaisson({ plugins: [runtime, ...await nativePlugins(runtime.runtime!)], capacity: meta.capacity });
  const run = engine.createRun(ir, {
    runId: record.id, initial: replayed.statuses, baseDir: dirname(meta.file), firedHooks: replayed.firedHooks,
    ...(secrets ? { secrets } : {}), images, cache: runCache(ir, meta.file),
    // The artifacts and data earlier runners stored: a resumed consumer reads its producers' outputs from there.
    artifacts: new FolderArtifactStore(record.dir),
    data: new FolderDataStore(record.dir),
  });
  const again = unfinishedExecs(ir, replayed.statuses);
  if (again.length) recordControl(record, run, { op: 'resume', paths: again }, () => again.forEach((p) => run.reset(p)));
  const recorder = new RunRecorder(run, record, 'resume', warnRecordingFailed(record.id), output);
  indexRecord(record, ir.name);
  const control = listenForControl(run, recorder, note);
  return { run, recorder, close: () => { control.close(); recorder.close(); } };
}

/** Resumes the run; resolves to the exit code (0 only when the root ends done). */
export async function resumeCommand(ref: string, opts: DirOption): Promise<number> {
  const record = findRecord(opts, ref);
  // The reporter draws once the run is ready; live control notes made before then are dropped.
  const shown: { reporter?: RunReporter } = {};
  const resumed = await prepareResume(record, (line) => shown.reporter?.note(line));
  const reporter = (shown.reporter = runReporter(resumed.run.ir));
  try {
    return await executeRun(resumed.run, reporter);
  } finally {
    resumed.close();
    process.stdout.write(`\n${recordedLine(record)}\n`);
  }
}
