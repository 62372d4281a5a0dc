/**
 * One run as the server keeps it while the UI looks at it: its IR, meta and projection, brought up to
 * date by reading only what was appended to its log since the last look (core's LogFollower), and the
 * settled statuses the views show. Every open view of the run shares one watch, and the event stream
 * sends each view only the paths a batch of entries changed.
 */
import {
  lastRunnerEntryAt, runnerStateOf, settledStatuses, RunProjection,
  type LogFollower, type NodeStatus, type PipelineIR, type RunMeta, type RunnerState, type RunRecord,
} from '../../core/plugin-kit.ts';

/** What changed since the last refresh. */
export interface WatchChange {
  /** Paths whose status or attempts changed. */
  paths: Set<string>;
  /** True when the runner's state changed (started, finished, died): every status may have moved. */
  runnerChanged: boolean;
  /** True when the IR copy changed (an edit, skip or unskip). */
  irChanged: boolean;
}

/** A run kept current from its record. */
export class RunWatch {
  ir: PipelineIR;
  meta: RunMeta;
  readonly projection = new RunProjection();
  runner: RunnerState = 'none';
  private readonly follower: LogFollower;
  private settled: Record<string, NodeStatus> | undefined;

  /** Reads the whole record once. */
  constructor(readonly record: RunRecord) {
    this.ir = record.loadIr();
    this.meta = record.loadMeta();
    this.follower = record.follow();
    this.refresh();
  }

  /** Byte offset of the log read so far: the position of the event stream. */
  get offset(): number { return this.follower.offset; }

  /** Reads the entries appended since the last call and folds them in. */
  refresh(): WatchChange {
    const change: WatchChange = { paths: new Set(), runnerChanged: false, irChanged: false };
    for (let batch = this.follower.read(); batch.length; batch = this.follower.read()) {
      for (const { entry } of batch) {
        for (const p of this.projection.apply(entry)) change.paths.add(p);
        if (entry.type === 'control' && ['edit', 'skip', 'unskip', 'reset', 'retry', 'rebuild'].includes(entry.op)) change.irChanged = true;
        // A lazy node's subtree was grafted: ir.json holds the new tree (and new images may be in meta.json).
        if (entry.type === 'graft') { change.irChanged = true; this.meta = this.record.loadMeta(); }
        if (entry.type === 'control' && entry.op === 'rebuild') this.meta = this.record.loadMeta();
      }
    }
    if (change.irChanged) this.ir = this.record.loadIr();
    const runner = runnerStateOf(this.projection);
    if (runner !== this.runner) { this.runner = runner; change.runnerChanged = true; }
    if (change.paths.size || change.runnerChanged || change.irChanged) this.settled = undefined;
    return change;
  }

  /** Every node's status as the views show it (see settledStatuses). */
  statuses(): Record<string, NodeStatus> {
    this.settled ??= settledStatuses(this.ir, this.projection.statuses, this.runner === 'running', lastRunnerEntryAt(this.projection));
    return this.settled;
  }

  /** The root's state. */
  get state(): string { return this.statuses()[`/${this.ir.root.name}`]?.state ?? 'pending'; }
}
