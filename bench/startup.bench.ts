/**
 * Start-up benchmarks: whole `caisson` processes as an installed package runs them (the compiled dist/,
 * built first when missing), against floors measured in the same run. Medians of several runs; nothing
 * is asserted.
 *   node --import tsx bench/startup.bench.ts          (npm run bench -- startup)
 *
 * 1. `caisson --help` against `node -e 0`: what loading the CLI costs (no command module, no Docker client).
 * 2. `caisson runs` in a folder without runs, against `node -e 0`: a record command's start-up.
 * 3. `caisson run` of a 1-node busybox pipeline (type check remembered from a first run) against
 *    `docker run --rm busybox:latest true`: the "≤ 2× docker run" row.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { figure } from './figures.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  process.stdout.write('building dist/ first (npm run build)…\n');
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'caisson-bench-startup-'));
// A user's project: `caisson` resolves to this checkout's package, its compiled entry points.
mkdirSync(join(work, 'node_modules'));
symlinkSync(ROOT, join(work, 'node_modules/caisson'));
// npm installs caisson's @types/node beside it; without it the check fails and is never remembered.
symlinkSync(join(ROOT, 'node_modules/@types'), join(work, 'node_modules/@types'));
writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(work, 'one.ts'), "import { pipeline } from 'caisson';\nexport default pipeline('one', { image: 'busybox:latest' }).exec('a', 'true');\n");
const cli = join(work, 'cli.mjs');
writeFileSync(cli, `const { main } = await import(${JSON.stringify(join(ROOT, 'dist/cli/main.js'))});\nprocess.exitCode = await main(process.argv.slice(2));\n`);

/** Median wall time in ms of `argv` run RUNS times (after one warm-up), failing loudly on a non-zero exit. */
function median(argv: string[]): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const node = process.execPath;
const rows: Array<{ what: string; ms: number; floor: string; floorMs: number }> = [];
try {
  const nodeFloor = median([node, '-e', '0']);
  rows.push({ what: 'caisson --help', ms: median([node, cli, '--help']), floor: 'node -e 0', floorMs: nodeFloor });
  rows.push({ what: 'caisson runs (a folder without runs)', ms: median([node, cli, 'runs']), floor: 'node -e 0', floorMs: nodeFloor });
  const docker = median(['docker', 'run', '--rm', 'busybox:latest', 'true']);
  rows.push({ what: 'caisson run, 1 node, type check remembered', ms: median([node, cli, 'run', 'one.ts']), floor: 'docker run --rm busybox true', floorMs: docker });
} finally {
  rmSync(work, { recursive: true, force: true });
}

process.stdout.write(`startup (median of ${RUNS} runs each, whole processes)\n`);
for (const r of rows) {
  figure({ what: r.what, value: r.ms, baseline: r.floor, baselineValue: r.floorMs, unit: 'ms', ...(r.what.startsWith('caisson run') && { target: 2 }) });
  process.stdout.write(`  ${r.what.padEnd(44)} ${r.ms.toFixed(0).padStart(6)} ms   ${(r.ms / r.floorMs).toFixed(2)}× ${r.floor} (${r.floorMs.toFixed(0)} ms)\n`);
}
