/**
 * Compile + validate a 10,000-node tree. Target: compile + decodePipeline under 300 ms.
 * Figures are medians after warm-up, printed in ms and as a ratio against a baseline measured in the
 * same run: JSON.parse(JSON.stringify(ir)) of the same IR (a plain deep copy of the document).
 * Prints, never asserts.   node --import tsx bench/compile.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { compile, pipeline, type GroupBuilder } from '../core/dsl/index.ts';
import { decodePipeline } from '../core/ir/index.ts';

const WARMUP = 3;
const RUNS = 9;

function median(fn: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

/** Root Serial of 100 Parallels × 99 Execs (10,000 nodes with the groups and the root). */
function nested(): GroupBuilder {
  let p: GroupBuilder = pipeline('nested', { image: 'busybox:latest', env: { CI: '1' } });
  for (let g = 0; g < 100; g++) {
    p = p.parallel(`group-${g}`, (par) => {
      let out = par;
      for (let e = 0; e < 99; e++) out = out.exec(`exec-${e}`, `echo ${g}.${e}`, e % 10 === 0 ? { mem: 1, env: { N: String(e) } } : undefined);
      return out;
    }, { maxConcurrent: 8 });
  }
  return p;
}

/** A flat Parallel root of 10,000 Execs. */
function flat(): GroupBuilder {
  let p: GroupBuilder = pipeline('flat', { parallel: true });
  for (let e = 0; e < 10_000; e++) p = p.exec(`exec-${e}`, 'true');
  return p;
}

const rows: string[] = [];
for (const [label, make] of [['100 Parallels x 99 Execs', nested], ['flat Parallel of 10,000 Execs', flat]] as const) {
  const buildMs = median(make);
  const builder = make();
  const ir = compile(builder);
  const json = JSON.parse(JSON.stringify(ir)) as unknown;
  const baseline = median(() => JSON.parse(JSON.stringify(ir)));
  const compileMs = median(() => compile(builder));
  const decodeMs = median(() => decodePipeline(json));
  const total = compileMs + decodeMs;
  const ratio = (ms: number) => `${(ms / baseline).toFixed(1)}x`;
  rows.push(
    `${label}:`,
    `  baseline JSON round trip   ${baseline.toFixed(1).padStart(7)} ms   1.0x`,
    `  build (DSL calls)          ${buildMs.toFixed(1).padStart(7)} ms   ${ratio(buildMs)}`,
    `  compile                    ${compileMs.toFixed(1).padStart(7)} ms   ${ratio(compileMs)}`,
    `  decodePipeline             ${decodeMs.toFixed(1).padStart(7)} ms   ${ratio(decodeMs)}`,
    `  compile + validate         ${total.toFixed(1).padStart(7)} ms   ${ratio(total)}   (target < 300 ms: ${total < 300 ? 'met' : 'NOT met'})`,
  );
}
console.log(`compile.bench (median of ${RUNS} runs after ${WARMUP} warm-up)\n${rows.join('\n')}`);
