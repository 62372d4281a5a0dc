/**
 * Engine benchmark: executes trees of about 10,000 Execs (each case prints its exact count) on the fake
 * runtime with zero durations and prints wall time and the ratio against a baseline measured in the same
 * process (a bare loop awaiting the fake runtime's run() for each Exec, no engine; medians of three
 * alternating runs), and the peak RSS of one engine run in a fresh process (median of three processes).
 * Targets: under 1 s, peak RSS under 300 MB.
 * Prints figures only; never asserts.
 *
 *   node --import tsx bench/engine.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/index.ts';
import type { PipelineIR } from '../core/index.ts';
import { FakeRuntimeProvider } from '../plugins/runtime-fake/index.ts';
import { parallel, pipeline, serial, execs } from '../test/helpers/ir.ts';

const N = 10_000;

const flat = (): PipelineIR => pipeline(parallel('flat', execs(N)));
const serialOfParallels = (): PipelineIR =>
  pipeline(serial('sop', Array.from({ length: 100 }, (_, i) => parallel(`p${i}`, execs(99)))));

/** The work without an engine: one container, run() awaited for each Exec. */
async function baseline(ir: PipelineIR): Promise<number> {
  const fake = new FakeRuntimeProvider();
  const t0 = performance.now();
  const lease = await fake.acquire({
    image: 'img:latest', cpu: 1, mem: 2, gpu: 0, backend: {}, mounts: [], labels: {}, group: 'global',
  }, new AbortController().signal, { runId: 'baseline', labels: {} });
  const paths: string[] = [];
  const collect = (n: PipelineIR['root'], path: string) => {
    if (n.kind === 'exec') paths.push(path); else for (const c of n.children) collect(c, `${path}/${c.name}`);
  };
  collect(ir.root, `/${ir.root.name}`);
  for (const path of paths) {
    await lease.run({ path, command: 'true', env: {}, signal: new AbortController().signal, onOutput: () => {} });
  }
  return performance.now() - t0;
}

async function withEngine(ir: PipelineIR): Promise<{ ms: number; state: string; events: number }> {
  const fake = new FakeRuntimeProvider();
  // Capacity as a developer laptop might have it; admission is part of what is measured.
  const engine = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 32 } });
  const t0 = performance.now();
  const run = engine.createRun(ir);
  let events = 0;
  run.on(() => { events++; });
  const result = await run.start();
  return { ms: performance.now() - t0, state: result.state, events };
}

const CASES = {
  flat: { title: 'a flat Parallel', make: flat },
  sop: { title: 'a Serial of 100 Parallels of 99', make: serialOfParallels },
} as const;

/** How many Execs the tree of `ir` holds (the figures say it, rather than a round number). */
const execCount = (n: PipelineIR['root']): number => (n.kind === 'exec' ? 1 : n.children.reduce((sum, c) => sum + execCount(c), 0));
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
type CaseName = keyof typeof CASES;

/** Timing of one case, in a process of its own: warm-up, then baseline and engine alternating. */
async function measureTime(name: CaseName): Promise<void> {
  const { make } = CASES[name];
  await baseline(make()); await withEngine(make()); // JIT warm-up out of the figures
  // Median of three, alternating, so a noisy neighbour on the machine skews both sides alike.
  const bases: number[] = [];
  const engines: Array<Awaited<ReturnType<typeof withEngine>>> = [];
  for (let i = 0; i < RUNS; i++) { bases.push(await baseline(make())); engines.push(await withEngine(make())); }
  const base = median(bases);
  const eng = engines.sort((a, b) => a.ms - b.ms)[Math.floor(RUNS / 2)]!;
  console.log(JSON.stringify({ base, ...eng }));
}

/** Memory of one case: a single engine run in a fresh process; RSS at start is the baseline. */
async function measureMemory(name: CaseName): Promise<void> {
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  await withEngine(CASES[name].make());
  console.log(JSON.stringify({ startRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function child<T>(...args: string[]): T {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

function report(): void {
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(`engine bench: about 10,000 Execs per tree on the fake runtime, zero durations, capacity cpu=8 mem=32 (node ${process.version})`);
  for (const name of Object.keys(CASES) as CaseName[]) {
    const t = child<{ base: number; ms: number; state: string; events: number }>('time', name);
    const mems = Array.from({ length: RUNS }, () => child<{ startRssMb: number; peakRssMb: number }>('memory', name));
    const peak = median(mems.map((m) => m.peakRssMb));
    const start = median(mems.map((m) => m.startRssMb));
    console.log(`${CASES[name].title} (${execCount(CASES[name].make().root)} Execs)`);
    console.log(`  baseline: bare run() loop, no engine ${fmt(t.base)} ms  (median of ${RUNS})`);
    console.log(`  engine                               ${fmt(t.ms)} ms  = ${(t.ms / t.base).toFixed(1)}x baseline  (median of ${RUNS}; target < 1000 ms; ${t.events} events, root ${t.state})`);
    console.log(`  peak RSS, one run in a fresh process ${fmt(peak)} MB  = ${(peak / start).toFixed(1)}x the process at start (${start.toFixed(1)} MB; medians of ${RUNS} processes); target < 300 MB`);
  }
}

const [mode, requested] = process.argv.slice(2) as [string | undefined, CaseName | undefined];
if (mode === 'time' && requested && requested in CASES) await measureTime(requested);
else if (mode === 'memory' && requested && requested in CASES) await measureMemory(requested);
else report();
