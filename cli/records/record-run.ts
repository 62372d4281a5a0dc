/** Starts the durable record of a run `caisson run` is about to execute (next to the pipeline file). */
import type { OutputWriterOptions, RecordedImage, Run } from '../../core/plugin-kit.ts';
import { LiveControl, RunRecorder, RunStore } from '../../core/plugin-kit.ts';
import { byteSize } from '../options.ts';

/** Where a run came from, kept in its meta.json. */
export interface RunOrigin {
  /** Absolute path of the pipeline file; the record goes to `<its folder>/.caisson/runs/<run id>/`. */
  file: string;
  exportName: string;
  runtime: string;
  capacity?: { cpu?: number; mem?: number };
  /** Image name → the image the run uses (ref, id, shell, workdir), what resume and debug run. */
  images?: Record<string, RecordedImage>;
}


/**
 * How much of each attempt's output the record keeps: CAISSON_LOG_CAP (e.g. "500MB", 0 = everything),
 * default 50 MB. Read before anything runs, so a bad value is one error up front.
 */
export const outputOptions = (): OutputWriterOptions => {
  const cap = byteSize('CAISSON_LOG_CAP', process.env.CAISSON_LOG_CAP);
  return cap === undefined ? {} : { cap };
};

/** Creates the record (meta.json, ir.json) and subscribes a recorder; close() it when the run ends. */
export function recordRun(run: Run, origin: RunOrigin, output: OutputWriterOptions = {}): RunRecorder {
  const record = RunStore.forPipelineFile(origin.file).create({
    version: 1, runId: run.id, pipeline: run.ir.name, file: origin.file, exportName: origin.exportName,
    runtime: origin.runtime, createdAt: Date.now(),
    ...(origin.images ? { images: origin.images } : {}),
    ...(origin.capacity ? { capacity: origin.capacity } : {}),
  }, run.ir);
  return new RunRecorder(run, record, 'run', warnRecordingFailed(run.id), output);
}

/** Recording problems never stop a run; they are said once on stderr. */
export const warnRecordingFailed = (runId: string) => (e: Error): void => {
  process.stderr.write(`caisson: recording run ${runId} failed (${e.message}); the run goes on, but its record is incomplete\n`);
};

/**
 * Listens for control actions on the live run (`caisson reset … ` from another terminal, the web UI)
 * and applies them; each is said above the live tree (or on stderr). close() it before the recorder.
 */
export function listenForControl(run: Run, recorder: RunRecorder, note: (line: string) => void): LiveControl {
  return new LiveControl(run, recorder, {
    onApplied: (entry, request) => {
      const what = `${entry.op}${entry.paths.length ? ` ${entry.paths.join(', ')}` : ''}`;
      note(entry.error ? `caisson: ${entry.op} refused (asked by pid ${request.pid}): ${entry.error}` : `caisson: ${what} (asked by pid ${request.pid})`);
    },
  });
}
