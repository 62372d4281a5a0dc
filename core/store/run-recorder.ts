/**
 * Writes a live Run's events into its record: state, container and run-started/finished events to the
 * log (one write per event, so a kill at any moment leaves every announced change on disk) and output
 * chunks to the node's attempt file.
 */
import { hostname } from 'node:os';
import type { Run, RunEvent, StateEvent } from '../engine/index.ts';
import { FINISHED_STATES } from '../engine/index.ts';
import type { AppendFile } from './append-file.ts';
import type { LogEntry, RunnerEntry } from './log-entries.ts';
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
  /** The runner entry this recorder wrote: who executes the run (live control requests name it). */
  readonly runner: RunnerEntry;
  // While a control action is applied: its state events, kept for its one control entry.
  private captured: StateEvent[] | undefined;
  private readonly finishHooks: Array<() => void> = [];

  /**
   * Starts recording `run` into `record`: appends a runner entry (this process) and subscribes.
   * @param command what is running it ("run", "resume"), kept in the runner entry
   * @param onFailure told once if writing fails; the run itself goes on
   * @param output how attempts' output is kept (`cap`: bytes per attempt, default 50 MB, 0 = no cap)
   */
  constructor(private readonly run: Run, readonly record: RunRecord, command: string, private readonly onFailure: (e: Error) => void = () => {}, output: OutputWriterOptions = {}) {
    this.log = record.openLog();
    this.output = new OutputWriter(record.dir, output);
    this.runner = { type: 'runner', at: Date.now(), pid: process.pid, host: hostname(), command };
    this.log.append(this.runner);
    this.off = run.on(this.onEvent);
  }

  private readonly onEvent = (e: RunEvent): void => {
    if (this.failure) return;
    try {
      if (e.type === 'run-finished') for (const hook of this.finishHooks) hook();
      if (e.type === 'output') {
        this.output.write(e.path, e.attempt, { at: e.at, stream: e.stream, data: e.data });
        return;
      }
      // The tree the run goes on with is in ir.json before its graft is in the log: a runner killed between
      // the two leaves the generator running in the log, so resume runs it again (never the reverse).
      if (e.type === 'graft') this.record.saveIr(this.run.ir);
      if (e.type === 'state' && this.captured) this.captured.push(e);
      else this.log.append(e);
      if (e.type === 'state' && (FINISHED_STATES.has(e.state) || e.state === 'pending')) this.output.close(e.path);
    } catch (err) {
      this.failure = err as Error;
      this.onFailure(this.failure);
    }
  };

  /**
   * Runs `action` (a control action on the live run), collecting the state events it causes at once
   * instead of writing them one by one, into `events` (also when `action` throws), and returns them:
   * the caller writes them as one control entry.
   */
  capture(action: () => void, events: StateEvent[] = []): StateEvent[] {
    const outer = this.captured;
    this.captured = events;
    try { action(); } finally { this.captured = outer; }
    return events;
  }

  /**
   * Calls `hook` just before the run-finished entry is written: the last moment a live control request
   * can still be applied by this runner (after it, requesters apply to the record).
   */
  beforeFinish(hook: () => void): void { this.finishHooks.push(hook); }

  /** Appends one entry to the log (a control entry); a write failure is reported like any other. */
  append(entry: LogEntry): void {
    if (this.failure) return;
    try { this.log.append(entry); } catch (err) { this.failure = err as Error; this.onFailure(this.failure); }
  }

  /** Stops recording and closes the files (the log is fsynced). */
  close(): void {
    this.off();
    this.output.closeAll();
    this.log.close();
  }
}
