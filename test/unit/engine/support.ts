/**
 * Small helpers shared by the engine tests.
 */
import { Engine } from '../../../core/index.ts';
import type { EngineOptions, PipelineIR, RunEvent, StateEvent } from '../../../core/index.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';
import type { FakeCall } from '../../../plugins/runtime-fake/index.ts';

/** The most commands that were running at the same virtual instant (end == start does not overlap). */
export function maxOverlap(calls: FakeCall[]): number {
  const edges = calls.flatMap((c) => [[c.start, 1], [c.end ?? Infinity, -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0, max = 0;
  for (const [, d] of edges) { now += d; max = Math.max(max, now); }
  return max;
}

/** A fake, an engine on its virtual clock, a run of `ir`, and every event it emits. */
export function setup(ir: PipelineIR, capacity: EngineOptions['capacity'] = { cpu: 64, mem: 256 }) {
  const fake = new FakeRuntimeProvider();
  const engine = new Engine(fake, fake.clock, { capacity });
  const run = engine.createRun(ir, { runId: 'run-1' });
  const events: RunEvent[] = [];
  run.on((e) => events.push(e));
  const states = (path: string) => events.filter((e): e is StateEvent => e.type === 'state' && e.path === path).map((e) => e.state);
  return { fake, engine, run, events, states };
}

/** Resolves when `run` emits a state event matching `pred`. */
export function when(on: (l: (e: RunEvent) => void) => () => void, pred: (e: StateEvent) => boolean): Promise<StateEvent> {
  return new Promise((resolve) => {
    const off = on((e) => { if (e.type === 'state' && pred(e)) { off(); resolve(e); } });
  });
}
