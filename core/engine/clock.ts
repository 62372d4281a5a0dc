/**
 * Time as the engine sees it. Injected so the fake runtime can drive a virtual clock: scripted
 * durations and maxTime kills then cost no real time.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Calls `fn` after `ms`; returns a handle for `clear`. A timer does not keep the process alive
   * (maxTime timers run beside a command that does) unless `keepAlive` is set (a retry's wait, when
   * nothing else is running).
   */
  setTimer(fn: () => void, ms: number, opts?: { keepAlive?: boolean }): unknown;
  /** Cancels a timer from setTimer (a handle that already fired or was cleared is ignored). */
  clearTimer(handle: unknown): void;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms, opts) => {
    const h = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    if (!opts?.keepAlive) h.unref?.();
    return h;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};
