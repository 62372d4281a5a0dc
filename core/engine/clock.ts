/**
 * Time as the engine sees it. Injected so the fake runtime can drive a virtual clock: scripted
 * durations and maxTime kills then cost no real time.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` after `ms`; returns a handle for `clear`. */
  setTimer(fn: () => void, ms: number): unknown;
  /** Cancels a timer from setTimer (a handle that already fired or was cleared is ignored). */
  clearTimer(handle: unknown): void;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const h = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    h.unref?.();
    return h;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};
