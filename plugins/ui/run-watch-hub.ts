/**
 * The watches the server keeps, one per run being looked at, and the ticking that keeps them current:
 * a file-change notice on the run's event log (the fast path) and a 100 ms poll behind it, only while
 * some event stream listens. Each tick hands every listener the statuses and attempts that changed.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { AttemptRecord, NodeStatus, RunRecord } from '../../core/plugin-kit.ts';
import { RunWatch } from './run-watch.ts';
import { compactTree } from './run-api.ts';

/** One batch of changes for a stream. */
export interface Delta {
  /** Log offset after the batch (the stream's event id). */
  offset: number;
  /** Changed node statuses, by path. */
  statuses: Record<string, NodeStatus>;
  /** Changed nodes' attempts, by path. */
  attempts: Record<string, AttemptRecord[]>;
  /** The runner's state and the root's, when either may have changed. */
  runner: string;
  /** The root's state. */
  state: string;
  /** The whole tree again (as in the snapshot), when it changed: a lazy node's subtree was grafted or reset. */
  tree?: ReturnType<typeof compactTree>;
}

type Listener = (d: Delta) => void;

/** Keeps a RunWatch per run while anything looks at it; ticks the ones that have listeners. */
export class WatchHub {
  private readonly watches = new Map<string, { watch: RunWatch; listeners: Set<Listener>; timer?: NodeJS.Timeout; fsw?: FSWatcher; sent: Record<string, NodeStatus> }>();

  /** The watch of a record, created (and read whole) on first use, refreshed on every use. */
  get(record: RunRecord): RunWatch {
    let w = this.watches.get(record.dir);
    if (!w) {
      const watch0 = new RunWatch(record);
      this.watches.set(record.dir, (w = { watch: watch0, listeners: new Set(), sent: watch0.statuses() }));
    } else {
      this.tick(w);
    }
    return w.watch;
  }

  /** Calls `listener` with each batch of changes until the returned function is called. */
  listen(record: RunRecord, listener: Listener): () => void {
    this.get(record);
    const w = this.watches.get(record.dir)!;
    w.listeners.add(listener);
    if (!w.timer) {
      w.timer = setInterval(() => this.tick(w), 100);
      try { w.fsw = watch(record.logFile, () => this.tick(w)); w.fsw.on('error', () => w.fsw?.close()); } catch { /* polling alone */ }
    }
    return () => {
      w.listeners.delete(listener);
      if (w.listeners.size) return;
      clearInterval(w.timer);
      w.fsw?.close();
      w.timer = undefined;
      w.fsw = undefined;
    };
  }

  /** Stops every timer (the server is closing). */
  close(): void {
    for (const w of this.watches.values()) { clearInterval(w.timer); w.fsw?.close(); w.listeners.clear(); }
    this.watches.clear();
  }

  private tick(w: { watch: RunWatch; listeners: Set<Listener>; sent: Record<string, NodeStatus> }): void {
    const change = w.watch.refresh();
    if (!change.paths.size && !change.runnerChanged && !change.irChanged) return;
    const now = w.watch.statuses();
    const statuses: Record<string, NodeStatus> = {};
    // Diffed against what was last sent: a dead runner or a control entry can move containers the
    // entries never named (they are derived again), and only what changed is sent.
    for (const [path, s] of Object.entries(now)) if (!sameStatus(w.sent[path], s)) statuses[path] = s;
    w.sent = now;
    const attempts: Record<string, AttemptRecord[]> = {};
    for (const p of change.paths) { const a = w.watch.projection.attempts.get(p); if (a) attempts[p] = a; }
    const delta: Delta = {
      offset: w.watch.offset, statuses, attempts, runner: w.watch.runner, state: w.watch.state,
      ...(change.irChanged ? { tree: compactTree(w.watch.ir.root) } : {}),
    };
    for (const l of w.listeners) l(delta);
  }
}

const KEYS = ['state', 'skipped', 'attempt', 'startedAt', 'endedAt', 'reason', 'exitCode'] as const;
const sameStatus = (a: NodeStatus | undefined, b: NodeStatus): boolean => a !== undefined && KEYS.every((k) => a[k] === b[k]);
