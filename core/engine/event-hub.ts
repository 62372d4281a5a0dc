/**
 * Fan-out of RunEvents to listeners, plus an async-iterable view that ends with the run.
 */
import type { RunEvent } from './events.ts';
import { Fifo } from './fifo.ts';

type Listener = (e: RunEvent) => void;

/** Delivers a run's events to every subscriber; a throwing listener cannot break the run. */
export class EventHub {
  // Copy-on-write so a listener may unsubscribe while being called.
  private listeners: readonly Listener[] = [];

  /** Subscribes; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  /** Calls every listener with `event`; a listener's exception is rethrown later, outside the engine. */
  emit(event: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken consumer must not corrupt the run's bookkeeping; surface it outside the engine.
        queueMicrotask(() => { throw err; });
      }
    }
  }

  /** Events from now until (and including) the next run-finished event. */
  iterate(): AsyncIterable<RunEvent> {
    const buffered = new Fifo<RunEvent>();
    let wake: (() => void) | undefined;
    let finished = false;
    const off = this.on((e) => {
      if (finished) return;
      buffered.push(e);
      if (e.type === 'run-finished') { finished = true; off(); }
      wake?.();
    });
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<RunEvent>> => {
          while (buffered.size === 0) {
            if (finished) return { value: undefined, done: true };
            await new Promise<void>((resolve) => { wake = resolve; });
            wake = undefined;
          }
          return { value: buffered.shift()!, done: false };
        },
        return: async (): Promise<IteratorResult<RunEvent>> => {
          finished = true;
          off();
          while (buffered.shift() !== undefined);
                    return { value: undefined, done: true };
        },
      }),
    };
  }
}
