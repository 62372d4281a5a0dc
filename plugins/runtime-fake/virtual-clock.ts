/**
 * A Clock whose time only moves when nothing else can: once every pending piece of work is waiting on
 * a timer, it jumps to the earliest timer and fires it. Scripted durations and maxTime kills therefore
 * cost no real time, and runs are deterministic.
 *
 * "Nothing else can move" is detected with setImmediate: it runs after the microtask queue (where all
 * of the engine's and the fake's promise chains live) has drained.
 */
import type { Clock } from '../../core/index.ts';

/** A scheduled callback; `seq` keeps equal deadlines in the order they were set. */
interface Timer { at: number; seq: number; fn: () => void; cleared: boolean }

/** 2026-01-01T00:00:00Z: a fixed start so timestamps in tests are stable. */
export const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);

/**
 * A Clock for tests whose time jumps to the next timer as soon as nothing else can run: scripted
 * durations and maxTime kills take no real time and timestamps are deterministic.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  // A binary min-heap on (at, seq): equal deadlines fire in the order they were set.
  private readonly heap: Timer[] = [];
  private idleCheck = false;
  private holds = 0;

  /** @param start epoch ms the clock starts at */
  constructor(start = VIRTUAL_EPOCH) { this.time = start; }

  /** Virtual epoch milliseconds. */
  now(): number { return this.time; }

  /** Schedules `fn` at now + ms of virtual time. */
  setTimer(fn: () => void, ms: number): unknown {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cleared: false };
    this.push(timer);
    this.scheduleIdleCheck();
    return timer;
  }

  /** Cancels a timer from setTimer (idempotent). */
  clearTimer(handle: unknown): void { (handle as Timer).cleared = true; }

  /** Virtual ms elapsed since `start` (handy in assertions). */
  elapsedSince(start: number): number { return this.time - start; }

  /**
   * Stops time while real work runs that the idle check cannot see (a native call in-process does real
   * I/O: an import, file reads); returns the release. Timers due meanwhile fire after the release.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.scheduleIdleCheck();
    };
  }

  private scheduleIdleCheck(): void {
    if (this.idleCheck) return;
    this.idleCheck = true;
    setImmediate(() => this.fireEarliest());
  }

  private fireEarliest(): void {
    this.idleCheck = false;
    if (this.holds > 0) return;
    while (this.heap.length && this.heap[0]!.cleared) this.pop();
    const next = this.pop();
    if (!next) return;
    this.time = Math.max(this.time, next.at);
    // Check again after whatever this timer sets in motion has settled.
    if (this.heap.length) this.scheduleIdleCheck();
    next.fn();
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
