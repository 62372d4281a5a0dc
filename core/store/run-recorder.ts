/**
 * Writes a live Run's events into its record: state, container and run-started/finished events to the
 * log (one write per event, so a kill at any moment leaves every announced change on disk) and output
 * chunks to the node's attempt file.
 */
import { hostname } from 'node:os';
import type { Run, RunEvent } from '../engine/index.ts';
import { FINISHED_STATES } from '../engine/index.ts';
import type { AppendFile } from './append-file.ts';
import { OutputWriter, type OutputWriterOptions } from './output-files.ts';
import type { RunRecord } from './run-record.ts';

/**
 * Keeps a live Run's record up to date as it runs (log and per-attempt output), so `caisson show`,
 * `logs` and `resume` can read it later, even after the runner was killed. Close it when the run ends.
 */
export class RunRecorder {
  private readonly log: AppendFile;
  private readonly output: OutputWriter;
  private readonly off: () => void;
  /** The first write failure (a full disk, a removed folder); recording stops after it. */
  failure: Error | undefined;

  /**
   * Starts recording `run` into `record`: appends a runner entry (this process) and subscribes.
   * @param command what is running it ("run", "resume"), kept in the runner entry
   * @param onFailure told once if writing fails; the run itself goes on
   * @param output how attempts' output is kept (`cap`: bytes per attempt, default 50 MB, 0 = no cap)
   */
  constructor(run: Run, readonly record: RunRecord, command: string, private readonly onFailure: (e: Error) => void = () => {}, output: OutputWriterOptions = {}) {
    this.log = record.openLog();
    this.output = new OutputWriter(record.dir, output);
    this.log.append({ type: 'runner', at: Date.now(), pid: process.pid, host: hostname(), command });
    this.off = run.on(this.onEvent);
  }

  private readonly onEvent = (e: RunEvent): void => {
    if (this.failure) return;
    try {
      if (e.type === 'output') {
        this.output.write(e.path, e.attempt, { at: e.at, stream: e.stream, data: e.data });
        return;
      }
      this.log.append(e);
      if (e.type === 'state' && (FINISHED_STATES.has(e.state) || e.state === 'pending')) this.output.close(e.path);
    } catch (err) {
      this.failure = err as Error;
      this.onFailure(this.failure);
    }
  };

  /** Stops recording and closes the files (the log is fsynced). */
  close(): void {
    this.off();
    this.output.closeAll();
    this.log.close();
  }
}
