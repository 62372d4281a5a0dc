/**
 * The one fold of a run's state from its log entries. Everything that shows a run (`caisson show`,
 * `runs`, `logs --follow`, the live terminal tree, the web UI) reads it from here, so they cannot
 * disagree about a node's times, attempts or state. Pure: no I/O; feed it entries as they are read
 * (whole log, or only the lines appended since, see LogFollower).
 */
import type { CacheDecision, CacheEvent, HookFiredEvent, NodeState, NodeStatus, StateEvent } from '../engine/index.ts';
import { FINISHED_STATES } from '../engine/index.ts';
import type { ControlEntry, LogEntry, RunnerEntry } from './log-entries.ts';

/** One execution of a node, as the log tells it. */
export interface AttemptRecord {
  /** 1 for the first execution. */
  attempt: number;
  /** Engine-clock epoch ms it started. */
  startedAt: number;
  /** Epoch ms it ended; unset while it runs. */
  endedAt?: number;
  /** How it ended (or `running`); `pending` means it was reset while it ran. */
  state: NodeState;
  /** Why it ended so (exit code, "max time exceeded", "killed by user"). */
  reason?: string;
  /** The command's exit code, when it exited. */
  exitCode?: number;
  /** A native call's return value (tagged JSON text), when it ended done. */
  result?: string;
  /** The container it ran in (Execs). */
  containerId?: string;
  /** True when that container was reused from an earlier Exec. */
  reused?: boolean;
  /** A cached Exec's lookup for this attempt: hit (no container, an earlier run's output), miss, expired, bypass. */
  cache?: CacheDecision;
  /** On a hit: the run whose stored result it used. */
  cachedFrom?: string;
}

/** A run as its log tells it. */
export interface ReplayedRun {
  /** Each node's status after the last entry applied, keyed by path (nodes never mentioned are absent). */
  statuses: Record<string, NodeStatus>;
  /** The latest runner; undefined when no process ever ran the run. */
  runner?: RunnerEntry;
  /** True when the latest runner reached run-finished (it ended normally). */
  runnerFinished: boolean;
  /** Epoch ms of the first run-started. */
  startedAt?: number;
  /** Epoch ms of the last entry of any kind. */
  lastAt?: number;
  /**
   * Each time a process executed the run (`caisson run`, then each `resume`), oldest first: from its
   * run-started to the last entry it wrote (its run-finished, or where it died). Control actions taken
   * while no process ran it are not part of one.
   */
  sessions: RunSession[];
  /** Control actions, in order. */
  controls: ControlEntry[];
  /** Complete lines that were not JSON (never expected: a line is written whole; counted rather than fatal). */
  damagedLines: number;
  /** True when the text ended in a partial line (the writer was killed mid-write); it was ignored. */
  truncatedTail: boolean;
}

/** One process's execution of a run: see ReplayedRun.sessions. */
export interface RunSession {
  /** Epoch ms of its run-started. */
  startedAt: number;
  /** Epoch ms of the last entry it wrote. */
  lastAt: number;
  /** True when it reached run-finished. */
  finished: boolean;
}

/**
 * How long the run has executed, in ms, over all its sessions (the time between them not counted); a
 * session still under way (`live`) counts up to `now`. Undefined when it never started.
 */
export function activeMs(run: Pick<ReplayedRun, 'sessions'>, live: boolean, now: number): number | undefined {
  if (run.sessions.length === 0) return undefined;
  const last = run.sessions.length - 1;
  return run.sessions.reduce((sum, s, i) => sum + ((i === last && live && !s.finished ? Math.max(now, s.lastAt) : s.lastAt) - s.startedAt), 0);
}

/** When the latest runner last wrote (its session's last entry): where Execs a dead runner was running end. */
export const lastRunnerEntryAt = (run: Pick<ReplayedRun, 'sessions' | 'lastAt'>): number | undefined => run.sessions.at(-1)?.lastAt ?? run.lastAt;

/** The status after `e`, from the status before it: times stamped as the engine stamps them. */
export function foldStatus(prev: NodeStatus | undefined, e: StateEvent): NodeStatus {
  const next: NodeStatus = { state: e.state, skipped: e.skipped, attempt: e.attempt };
  let startedAt = prev?.startedAt;
  let endedAt = prev?.endedAt;
  if (e.attempt > (prev?.attempt ?? 0)) { startedAt = e.at; endedAt = undefined; }
  if (e.state !== e.previous) {
    if (FINISHED_STATES.has(e.state)) endedAt = e.at;
    if (e.state === 'pending') { startedAt = undefined; endedAt = undefined; }
  }
  if (startedAt !== undefined) next.startedAt = startedAt;
  if (endedAt !== undefined) next.endedAt = endedAt;
  if (e.reason !== undefined) next.reason = e.reason;
  if (e.exitCode !== undefined) next.exitCode = e.exitCode;
  if (e.failure !== undefined) next.failure = e.failure;
  if (e.retry !== undefined) next.retry = e.retry;
  if (e.cacheKey !== undefined) next.cacheKey = e.cacheKey;
  if (e.cached !== undefined) next.cached = e.cached;
  if (e.bypassCache) next.bypassCache = true;
  if (e.result !== undefined) next.result = e.result;
  if (e.service !== undefined) next.service = e.service;
  return next;
}

/** Folds one state event into `statuses` (see foldStatus). */
export function applyStateEvent(statuses: Record<string, NodeStatus>, e: StateEvent): void {
  statuses[e.path] = foldStatus(statuses[e.path], e);
}

/**
 * A run's state folded from its log entries, one at a time: statuses, every attempt of every node,
 * the runner and the control actions. `apply` says which node paths changed, so a live view can send
 * only those.
 */
export class RunProjection implements ReplayedRun {
  /** @inheritdoc */
  readonly statuses: Record<string, NodeStatus> = {};
  /** @inheritdoc */
  runner?: RunnerEntry;
  /** @inheritdoc */
  runnerFinished = false;
  /** @inheritdoc */
  startedAt?: number;
  /** @inheritdoc */
  lastAt?: number;
  /** @inheritdoc */
  readonly sessions: RunSession[] = [];
  /** @inheritdoc */
  readonly controls: ControlEntry[] = [];
  /** @inheritdoc */
  damagedLines = 0;
  /** @inheritdoc */
  truncatedTail = false;
  /** Every attempt of each node that ran, oldest first. */
  readonly attempts = new Map<string, AttemptRecord[]>();
  /** Keys of the hooks fired: a resume fires none of them again. */
  readonly firedHooks = new Set<string>();
  /** The hook firings that failed, in order (a failed hook never changes a node's state; it is shown). */
  readonly failedHooks: HookFiredEvent[] = [];
  /** Entries applied so far. */
  entries = 0;
  /** Each cached Exec's lookups (one per attempt), oldest first: what `caisson why` explains. */
  readonly cacheLookups = new Map<string, CacheEvent[]>();

  /** Applies one entry; returns the paths whose status or attempts changed. */
  apply(entry: LogEntry): string[] {
    this.entries++;
    if (typeof entry.at === 'number') {
      this.lastAt = Math.max(this.lastAt ?? entry.at, entry.at);
      // What the executing process wrote extends its session; a control taken while none runs does not,
      // nor does the next process's start (a resume after the runner died begins a session of its own).
      const session = this.sessions.at(-1);
      if (session && !session.finished && !['control', 'runner', 'run-started'].includes(entry.type)) session.lastAt = Math.max(session.lastAt, entry.at);
    }
    switch (entry.type) {
      case 'state':
        this.applyState(entry);
        return [entry.path];
      case 'control':
        this.controls.push(entry);
        for (const e of entry.events) this.applyState(e);
        return [...new Set(entry.events.map((e) => e.path))];
      case 'container': {
        const a = this.attempts.get(entry.path)?.find((r) => r.attempt === entry.attempt);
        if (!a) return [];
        a.containerId = entry.containerId;
        a.reused = entry.reused;
        return [entry.path];
      }
      case 'cache': {
        let list = this.cacheLookups.get(entry.path);
        if (!list) this.cacheLookups.set(entry.path, (list = []));
        list.push(entry);
        const a = this.attempts.get(entry.path)?.find((r) => r.attempt === entry.attempt);
        if (!a) return [];
        a.cache = entry.decision;
        if (entry.decision === 'hit' && entry.from) a.cachedFrom = entry.from;
        return [entry.path];
      }
      case 'runner':
        this.runner = entry;
        this.runnerFinished = false;
        return [];
      case 'run-started':
        this.startedAt ??= entry.at;
        this.sessions.push({ startedAt: entry.at, lastAt: entry.at, finished: false });
        return [];
      case 'run-finished': {
        this.runnerFinished = true;
        const session = this.sessions.at(-1);
        if (session) session.finished = true;
        return [];
      }
      case 'hook':
        this.firedHooks.add(entry.key);
        if (!entry.ok) this.failedHooks.push(entry);
        return [];
      default:
        return [];
    }
  }

  private applyState(e: StateEvent): void {
    const before = this.statuses[e.path];
    const after = foldStatus(before, e);
    this.statuses[e.path] = after;
    let list = this.attempts.get(e.path);
    if (e.attempt > (before?.attempt ?? 0) && e.attempt > 0) {
      if (!list) this.attempts.set(e.path, (list = []));
      list.push({ attempt: e.attempt, startedAt: e.at, state: e.state });
      return;
    }
    const current = list?.[list.length - 1];
    if (!current || current.attempt !== e.attempt || current.endedAt !== undefined) return;
    // The attempt under way moves on; once it ended, later events (a reset back to pending) are not its own.
    current.state = e.state;
    if (e.reason !== undefined) current.reason = e.reason;
    if (e.exitCode !== undefined) current.exitCode = e.exitCode;
    if (e.result !== undefined) current.result = e.result;
    if (FINISHED_STATES.has(e.state) || e.state === 'pending') current.endedAt = e.at;
  }
}
