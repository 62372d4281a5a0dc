/**
 * The runner's side of live control: tails the run's control log and applies each request made for
 * this runner to the live Run, writing one control entry per request to the event log. Started by
 * whatever executes a run (`caisson run`, `caisson resume`, the web UI) right after its recorder. The
 * last requests are applied just before run-finished is written; later ones are the record's (the
 * requester sees the runner finished and applies them there), so none is applied twice or lost.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Run, StateEvent } from '../engine/index.ts';
import { AppendFile, FileFollower, type ControlEntry, type RunRecorder } from '../store/index.ts';
import { applyToRun } from './apply-action.ts';
import { normalisePath, type ControlAction } from './actions.ts';
import { controlFileOf, decodeRequest, type ControlRequest } from './control-log.ts';

/** How often the control log is looked at when no file-change notice came (notices are the fast path). */
const POLL_MS = 50;

/** Options of a LiveControl. */
export interface LiveControlOptions {
  /** Saves the run's IR copy (ir.json) after an edit, skip or unskip; default: the recorder's record. */
  saveIr?: (run: Run) => void;
  /** Told of every entry written (the CLI prints a note above its live tree). */
  onApplied?: (entry: ControlEntry, request: ControlRequest) => void;
}

/** Applies the requests appended to a live run's control log. `close()` when the run ends. */
export class LiveControl {
  private readonly follower: FileFollower;
  private readonly timer: NodeJS.Timeout;
  private watcher: FSWatcher | undefined;
  private closed = false;

  /**
   * Starts listening: applies every request for this recorder's runner, from now until run-finished.
   * @param run the live Run
   * @param recorder the run's recorder: writes the entries, and captures the state events of each action
   */
  constructor(private readonly run: Run, private readonly recorder: RunRecorder, private readonly opts: LiveControlOptions = {}) {
    const file = controlFileOf(recorder.record);
    // Created if missing, so it can be watched.
    new AppendFile(file, false).close();
    this.follower = new FileFollower(file, 0);
    recorder.beforeFinish(() => this.close());
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    try {
      this.watcher = watch(file, () => this.poll());
      this.watcher.unref();
      this.watcher.on('error', () => { this.watcher?.close(); this.watcher = undefined; });
    } catch {
      // No file-change notices here (some network file systems): polling alone is enough.
    }
  }

  /** Reads and applies what was requested since the last look. */
  poll(): void {
    if (this.closed) return;
    const me = this.recorder.runner;
    for (let batch = this.follower.read().lines; batch.length; batch = this.follower.read().lines) {
      for (const line of batch) {
        const request = decodeRequest(line);
        if (request && request.runner.pid === me.pid && request.runner.host === me.host && request.runner.at === me.at) this.apply(request);
      }
    }
  }

  /** Applies what is left and stops listening (called just before run-finished is written, or by hand). */
  close(): void {
    if (this.closed) return;
    this.poll();
    this.closed = true;
    clearInterval(this.timer);
    this.watcher?.close();
  }

  private apply(request: ControlRequest): void {
    const action = request.action as ControlAction;
    const paths = 'path' in action && typeof action.path === 'string' ? [normalisePath(action.path)] : [];
    let entry: ControlEntry;
    const events: StateEvent[] = [];
    try {
      let applied: ReturnType<typeof applyToRun> | undefined;
      this.recorder.capture(() => { applied = applyToRun(this.run, action); }, events);
      if (applied!.irChanged) (this.opts.saveIr ?? ((r: Run) => this.recorder.record.saveIr(r.ir)))(this.run);
      entry = { type: 'control', at: Date.now(), op: action.op, paths: applied!.paths, ...(applied!.detail ? { detail: applied!.detail } : {}), events, request: request.id, requestedAt: request.at };
    } catch (e) {
      // Checks come before any change, so a refused request normally changed nothing; if it did, it is kept.
      entry = { type: 'control', at: Date.now(), op: String(action.op), paths, events, request: request.id, requestedAt: request.at, error: (e as Error).message };
    }
    this.recorder.append(entry);
    this.opts.onApplied?.(entry, request);
  }
}
