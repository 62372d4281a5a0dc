/**
 * Decides what runs next. Serial children go in order (stopping at a failure when stopOnError), Parallel
 * children all at once; each Exec then waits in the admission gates (maxConcurrent of its ancestors, its
 * "new" reuse group, the cpu/mem budget) and runs when all let it through.
 */
import type { NodeState } from './events.ts';
import { FINISHED_STATES } from './events.ts';
import type { Capacity } from './capacity.ts';
import { cpuUnits, memUnits, neverFitsReason } from './capacity.ts';
import { GLOBAL_GROUP } from './container-pool.ts';
import { FAILED, IN_PROGRESS } from './derive.ts';
import type { ExecRunnerDeps, Outcome } from './exec-runner.ts';
import { CANCELLED, failure, RESET, runExec } from './exec-runner.ts';
import type { Gate, ResourceGate, Ticket } from './gates.ts';
import { CountGate } from './gates.ts';
import type { RunExec, RunGroup, RunNode } from './run-node.ts';
import { isSkipped } from './run-node.ts';
import type { RunTree } from './run-tree.ts';
import { debugLog } from '../debug-log.ts';

const log = debugLog('engine');
import { planRetry, retryEvent, RetryWaits } from './retry-waits.ts';
import type { ContainerSpec } from '../runtime/index.ts';
import { nextInSerial } from './serial-lookahead.ts';

/** A container warmed for the Exec after a running one, and the budget it holds until that Exec enters. */
interface Warmed { next: RunExec; spec: ContainerSpec; secretNames: string[]; ticket: Ticket }

/**
 * How many Execs ahead in Serial order get their containers warmed: creating one takes the daemon far
 * longer than a short command runs, so with one ahead a Serial of short Execs still waits for each
 * create; two overlap. Each reserves its Exec's cpu and mem, so a small budget warms fewer.
 */
const WARM_AHEAD = 2;

/** A reset Exec's next attempt does not look the result cache up (it is run, and its result stored). */
export const RESET_DETAIL = { bypassCache: true } as const;

/** An Exec that is queued or running. */
interface Slot {
  /** The Exec. */
  node: RunExec;
  /** Its place in the gates' queues. */
  ticket: Ticket;
  /** The gates it must pass, innermost first. */
  gates: Gate[];
  /** The gates' names, for debug lines ("max:/ci/p", "group:/ci", "budget"). */
  gateNames: string[];
  /** How many of `gates` it is inside. */
  held: number;
  /** Aborts the command once it runs. */
  control?: AbortController;
  /** reset() asked for it: it ends pending instead of killed. */
  resetRequested: boolean;
}

/**
 * Drives one Run's execution: picks the Execs that may start, passes them through the admission gates,
 * runs them and writes their outcomes back to the tree; also cancels, kills and resets them.
 */
export class Scheduler {
  /** True while a start() is executing. */
  active = false;
  private cancelling = false;
  private readonly slots = new Map<RunExec, Slot>();
  private readonly countGates = new Map<string, CountGate>();
  private readonly toAdvance = new Set<RunGroup>();
  private pumping = false;
  private seq = 0;
  private onIdle: (() => void) | undefined;
  private readonly waits: RetryWaits;
  /** Per Exec (running, or itself warmed for): the container warmed for the Exec that follows it in its Serial. */
  private readonly warmed = new Map<RunExec, Warmed>();
  /** Per Exec a container was warmed for: the budget reserved for it until it is enqueued. */
  private readonly reservedFor = new Map<RunExec, Ticket>();

  constructor(
    private readonly tree: RunTree,
    private readonly budget: ResourceGate,
    private readonly capacity: Capacity,
    private readonly deps: ExecRunnerDeps,
  ) {
    this.waits = new RetryWaits(deps.clock);
  }

  /** Begins executing what is pending; resolves when nothing is queued or running any more. */
  run(): Promise<void> {
    this.active = true;
    this.cancelling = false;
    const idle = new Promise<void>((resolve) => { this.onIdle = resolve; });
    this.activate(this.tree.root, true);
    this.settle();
    return idle.finally(() => { this.active = false; this.cancelling = false; });
  }

  /** After reset, skip, unskip: picks up newly pending work if a start() is under way; announces changes. */
  rescan(): void {
    if (this.active && !this.cancelling) this.activate(this.tree.root, true);
    this.settle();
  }

  /**
   * Cancel: running Execs are killed, queued ones go back to pending, nothing new starts. An Exec
   * waiting for a retry goes back to pending with its retry series, so a later start (resume) goes on.
   */
  cancel(): void {
    if (!this.active) return;
    log('cancel', { inFlight: this.slots.size });
    this.cancelling = true;
    for (const w of this.waits.clearAll()) this.tree.setExecState(w, 'pending', { reason: `${CANCELLED} while waiting for retry ${w.retry!.attempt}/${w.retry!.of}`, keepRetry: true });
    this.stop([...this.slots.values()], { running: CANCELLED, queued: 'pending', keepRetry: true });
    this.settle();
  }

  /** Kills the queued and running Execs at or under `n`, and those waiting for a retry. */
  kill(n: RunNode, reason: string): void {
    log('kill', { path: n.path, reason });
    for (const w of this.waits.clearUnder(n)) this.tree.setExecState(w, 'killed', { reason, failure: 'killed' });
    this.stop(this.slotsUnder(n), { running: reason, queued: 'killed', queuedReason: reason });
    this.settle();
  }

  /** reset() of in-progress Execs: stop them and let them end pending (a retry's wait is dropped). */
  resetInProgress(n: RunNode): void {
    for (const w of this.waits.clearUnder(n)) this.tree.setExecState(w, 'pending', RESET_DETAIL);
    const slots = this.slotsUnder(n);
    for (const s of slots) s.resetRequested = true;
    this.stop(slots, { running: RESET, queued: 'pending', ...RESET_DETAIL });
  }

  /** skip(): Execs at or under `n` waiting for a retry stop waiting and go back to pending. */
  skipped(n: RunNode): void {
    for (const w of this.waits.clearUnder(n)) this.tree.setExecState(w, 'pending');
  }

  /** True if the Exec is queued or running. */
  isInFlight(n: RunExec): boolean { return this.slots.has(n); }

  /** Tree hook: a group's child changed; a Serial may be able to go on. */
  childChanged(parent: RunGroup, child: RunNode): void {
    if (this.active && parent.kind === 'serial' && !IN_PROGRESS(child.state)) this.toAdvance.add(parent);
  }

  private slotsUnder(n: RunNode): Slot[] {
    if (n.kind === 'exec') { const s = this.slots.get(n); return s ? [s] : []; }
    return [...this.slots.values()].filter((s) => s.node.path.startsWith(n.path + '/'));
  }

  private stop(slots: Slot[], how: { running: string; queued: NodeState; queuedReason?: string; keepRetry?: boolean; bypassCache?: boolean }): void {
    const queued = slots.filter((s) => !s.control);
    // Mark every queued ticket first so freed slots cannot admit an Exec we are about to stop.
    for (const s of queued) s.ticket.cancelled = true;
    for (const s of queued) {
      this.slots.delete(s.node);
      this.leaveGates(s);
      // It will not run now: nor will the Execs warmed to follow it.
      this.coolDown(s.node);
      this.tree.setExecState(s.node, how.queued, { ...(how.queuedReason ? { reason: how.queuedReason } : {}), keepRetry: how.keepRetry, bypassCache: how.bypassCache });
    }
    for (const s of slots) if (s.control && !s.control.signal.aborted) s.control.abort(how.running);
  }

  private activate(n: RunNode, deep: boolean): void {
    if (n.skipFlag || this.cancelling) return;
    if (n.kind === 'exec') { if (n.state === 'pending') this.enqueue(n); return; }
    if (n.kind === 'parallel') { for (const c of n.children) this.activate(c, deep); return; }
    this.advanceSerial(n, deep);
  }

  /** Starts the Serial's next child if it may; `deep` also revisits a child already in progress. */
  private advanceSerial(s: RunGroup, deep: boolean): void {
    const children = s.children;
    const stopOnError = s.ir.kind === 'serial' && s.ir.stopOnError;
    for (let i = s.cursor; i < children.length; i++) {
      const c = children[i]!;
      if (c.skipFlag || c.state === 'done') { if (i === s.cursor) s.cursor++; continue; }
      if (FAILED(c.state)) {
        if (stopOnError) { if (log.enabled) log('serial stops', { path: s.path, at: c.path, state: c.state }); return; }
        continue;
      }
      if (IN_PROGRESS(c.state)) { if (deep) this.activate(c, deep); return; }
      this.activate(c, deep);
      if (!FINISHED_STATES.has(c.state)) return; // wait for it
      if (FAILED(c.state) && stopOnError) return;
    }
  }

  private enqueue(n: RunExec): void {
    const ir = n.ir;
    const neverFits = neverFitsReason(ir, this.capacity);
    if (neverFits) {
      log('never fits', { path: n.path, reason: neverFits });
      const o = failure(ir, neverFits);
      this.tree.setExecState(n, o.state, { reason: o.reason });
      return;
    }
    const { gates, names } = this.gatesFor(n);
    if (log.enabled) log('queued', { path: n.path, cpu: ir.cpu, mem: ir.mem, gates: names });
    const slot: Slot = {
      node: n, gates, gateNames: names, held: 0, resetRequested: false,
      ticket: { seq: this.seq++, cpu: cpuUnits(ir.cpu), mem: memUnits(ir.mem), cancelled: false, resume: () => { slot.held++; this.admit(slot); } },
    };
    this.slots.set(n, slot);
    // Its warm container's reservation goes back now; the Exec reserves for itself at the budget gate.
    const reserved = this.reservedFor.get(n);
    if (reserved) { this.reservedFor.delete(n); this.budget.leave(reserved); }
    this.tree.setExecState(n, 'queued');
    this.admit(slot);
  }

  /** Innermost first: maxConcurrent of deeper ancestors, the "new" group, then the budget. */
  private gatesFor(n: RunExec): { gates: Gate[]; names: string[] } {
    const ir = n.ir;
    const gates: Gate[] = [];
    const names: string[] = [];
    const add = (name: string, gate: Gate) => { gates.push(gate); names.push(name); };
    for (let a = n.parent; a; a = a.parent) {
      if (ir.container !== GLOBAL_GROUP && a.path === ir.container) add(`group:${a.path}`, this.countGate(`group:${a.path}`, 1));
      if (a.ir.maxConcurrent !== undefined) add(`max:${a.path}`, this.countGate(`max:${a.path}`, a.ir.maxConcurrent));
    }
    add('budget', this.budget);
    return { gates, names };
  }

  private countGate(key: string, limit: number): CountGate {
    let g = this.countGates.get(key);
    if (!g) this.countGates.set(key, (g = new CountGate(limit)));
    return g;
  }

  private admit(slot: Slot): void {
    while (slot.held < slot.gates.length) {
      if (!slot.gates[slot.held]!.tryEnter(slot.ticket)) {
        if (log.enabled) log('waiting', { path: slot.node.path, gate: slot.gateNames[slot.held] });
        return;
      }
      slot.held++;
    }
    void this.execute(slot);
  }

  private async execute(slot: Slot): Promise<void> {
    slot.control = new AbortController();
    this.tree.setExecState(slot.node, 'running', { newAttempt: true });
    if (log.enabled) log('running', { path: slot.node.path, attempt: slot.node.attempt });
    this.warmNext(slot.node);
    const outcome: Outcome = await runExec(this.deps, slot.node, slot.control);
    this.slots.delete(slot.node);
    if (slot.resetRequested) {
      if (log.enabled) log('ended', { path: slot.node.path, state: 'pending', reason: 'reset' });
      this.tree.setExecState(slot.node, 'pending', RESET_DETAIL);
    } else {
      this.finish(slot.node, outcome);
    }
    this.leaveGates(slot);
    // A reset Exec is pending again: pick it up in this same start().
    if (slot.resetRequested && this.active && !this.cancelling) this.activate(this.tree.root, true);
    this.settle();
    this.coolDown(slot.node);
  }

  /**
   * While `n` runs, creates the containers of the Execs that follow it in its Serial (WARM_AHEAD of
   * them), each when it will need a fresh one and the budget has room for it now (a warm container
   * reserves its Exec's cpu and mem; with no room nothing more is warmed and the Exec acquires as it
   * always did). The chain stops at the first Exec that cannot be warmed.
   */
  private warmNext(n: RunExec): void {
    if (this.cancelling || !this.deps.pool.warms) return;
    let after = n;
    for (let ahead = 0; ahead < WARM_AHEAD; ahead++) {
      const next = nextInSerial(after);
      if (!next || next.state !== 'pending' || this.slots.has(next) || isSkipped(next)) return;
      // Warmed when `after` started (or was warmed itself): go on past it.
      if (!this.reservedFor.has(next) && !this.warm(after, next)) return;
      after = next;
    }
  }

  /** Warms the container of `next`, which runs right after `after`; false when it is not warmed. */
  private warm(after: RunExec, next: RunExec): boolean {
    if (neverFitsReason(next.ir, this.capacity)) return false;
    let spec: ContainerSpec;
    try { spec = this.deps.specFor(next); } catch { return false; } // the run was not given its image: the Exec says so itself
    const secretNames = Object.values(next.ir.secrets ?? {});
    if (!this.deps.pool.wouldCreate(spec, secretNames)) return false;
    const ticket: Ticket = { seq: -1, cpu: cpuUnits(next.ir.cpu), mem: memUnits(next.ir.mem), cancelled: false, resume: () => {} };
    if (!this.budget.tryReserve(ticket)) return false;
    this.reservedFor.set(next, ticket);
    this.warmed.set(after, { next, spec, secretNames, ticket });
    this.deps.pool.prewarm(spec, secretNames);
    return true;
  }

  /**
   * `n` ended (or left the queue): if the Exec warmed for did not start right after it (a failure
   * stopped the Serial, a retry, a skip, a cancel), its reservation goes back and its container is
   * removed, and so are those warmed to follow it.
   */
  private coolDown(n: RunExec): void {
    const w = this.warmed.get(n);
    if (!w) return;
    this.warmed.delete(n);
    if (this.reservedFor.get(w.next) !== w.ticket) return; // it was enqueued: the container is its
    this.reservedFor.delete(w.next);
    this.budget.leave(w.ticket);
    this.deps.pool.discardWarm(w.spec, w.secretNames);
    this.coolDown(w.next);
  }

  /** Writes an attempt's outcome, or, when the retry policy grants another try, waits for it. */
  private finish(n: RunExec, outcome: Outcome): void {
    const now = this.deps.clock.now();
    const plan = this.cancelling ? undefined : planRetry(n, outcome, now, this.deps.runId);
    if (plan && 'mark' in plan) {
      // Straight from running to queued: no error state a stopOnError Serial would stop at.
      if (log.enabled) log('retry', { path: n.path, failure: outcome.failure, exitCode: outcome.exitCode, reason: plan.reason, delayMs: plan.delayMs });
      this.tree.setExecState(n, 'queued', { reason: plan.reason, exitCode: outcome.exitCode, failure: outcome.failure, retry: plan.mark, cacheKey: outcome.cacheKey });
      this.waits.wait(n, plan.delayMs, () => this.retryNow(n));
      // Last: a listener may cancel or kill the run right away, and then finds the node waiting.
      this.deps.emit(retryEvent(n, outcome, plan, now));
      return;
    }
    const reason = plan && outcome.reason ? `${outcome.reason} (${plan.budgetSpent})` : outcome.reason;
    if (log.enabled) log('ended', { path: n.path, state: outcome.state, exitCode: outcome.exitCode, reason });
    // Grafted before the generator is done, so its Serial goes on into the new subtree, never the placeholder.
    if (outcome.graft) this.deps.applyGraft?.(outcome.graft);
    this.tree.setExecState(n, outcome.state, { reason, exitCode: outcome.exitCode, failure: outcome.failure, cacheKey: outcome.cacheKey, cached: outcome.cached, result: outcome.result });
  }

  /** A retry's wait is over: the Exec enters the admission gates again as a new arrival. */
  private retryNow(n: RunExec): void {
    if (!this.active || this.cancelling) {
      this.tree.setExecState(n, 'pending', { reason: `${CANCELLED} while waiting for retry ${n.retry!.attempt}/${n.retry!.of}`, keepRetry: true });
    } else if (isSkipped(n)) {
      this.tree.setExecState(n, 'pending');
    } else {
      this.enqueue(n);
    }
    this.settle();
  }

  private leaveGates(slot: Slot): void {
    const held = slot.held;
    slot.held = 0;
    for (let i = held - 1; i >= 0; i--) slot.gates[i]!.leave(slot.ticket);
  }

  /** Advances the Serials whose children settled, announces the settled states, then reports idleness. */
  settle(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      do {
        while (this.toAdvance.size) {
          const s: RunGroup = this.toAdvance.values().next().value!;
          this.toAdvance.delete(s);
          if (this.active && !this.cancelling && !isSkipped(s)) this.advanceSerial(s, false);
        }
        this.tree.flush();
      } while (this.toAdvance.size || this.tree.unsettled);
    } finally {
      this.pumping = false;
    }
    if (this.active && this.slots.size === 0 && this.waits.size === 0 && this.onIdle) {
      const done = this.onIdle;
      this.onIdle = undefined;
      done();
    }
  }
}
