/**
 * Engine benchmark: executes 10,000-Exec trees on the fake runtime with zero durations and prints wall
 * time, peak RSS and the ratio against a baseline measured in the same process (a bare loop awaiting the
 * fake runtime's run() for each Exec, no engine). Targets (issue 2): under 1 s, peak RSS under 300 MB.
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
    image: 'img:latest', cpu: 1, mem: 2, gpu: 0, requiresDocker: false, dockerRunArgs: [], mounts: [], labels: {}, group: 'global',
  }, new AbortController().signal);
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
  flat: { title: 'flat Parallel of 10,000 Execs', make: flat },
  sop: { title: 'Serial of 100 Parallels of 99 Execs', make: serialOfParallels },
} as const;
type CaseName = keyof typeof CASES;

/** One case, in a process of its own so its peak RSS is its own: warm-up, baseline, engine. */
async function measure(name: CaseName): Promise<void> {
  const { make } = CASES[name];
  await baseline(make()); await withEngine(make()); // JIT warm-up out of the figures
  const base = await baseline(make());
  const eng = await withEngine(make());
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ base, ...eng, peakRssMb }));
}

function report(): void {
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(`engine bench: 10,000 Execs per tree on the fake runtime, zero durations, capacity cpu=8 mem=32 (node ${process.version})`);
  for (const name of Object.keys(CASES) as CaseName[]) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { base: number; ms: number; state: string; events: number; peakRssMb: number };
    console.log(CASES[name].title);
    console.log(`  baseline: bare run() loop, no engine ${fmt(r.base)} ms`);
    console.log(`  engine                               ${fmt(r.ms)} ms  = ${(r.ms / r.base).toFixed(1)}x baseline  (target < 1000 ms; ${r.events} events, root ${r.state})`);
    console.log(`  peak RSS of the process              ${fmt(r.peakRssMb)} MB  (target < 300 MB; includes warm-up and baseline)`);
  }
}

const requested = process.argv[2] as CaseName | undefined;
if (requested && requested in CASES) await measure(requested);
else report();
