/**
 * Output handling benchmarks: `caisson run` on Docker (plain reporter into a pipe, record written) of a
 * node printing a lot, against a baseline measured in the same run on the same daemon: `docker run` of the
 * same command into a pipe (the bytes through Docker's attach stream, the floor Caisson adds to). Wall
 * time and peak RSS (GNU time's %M) of each process, as ratios; nothing is asserted. busybox:latest.
 *   node --import tsx bench/output.bench.ts          (npm run bench -- output)
 *
 * 0. `true`, no output: the fixed cost of each side (process start, container), to read the others against.
 * 1. 10 MB without a newline (one partial line).
 * 2. 600 MB of ordinary lines (~70 bytes each).
 * 3. 20 MB of NUL bytes: the record's size against the output's (JSON would spend 6 bytes on each).
 * 4. The same bytes as 1, in-process through the per-chunk pieces (scrubber with a secret, plain
 *    reporter, output tails, live tree state, log writer) against writing the same chunks to a file,
 *    so a regression shows without Docker in the way.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile, pipeline, SecretScrubber, OutputWriter } from '../core/plugin-kit.ts';
import { PlainReporter } from '../cli/plain-reporter.ts';
import { OutputTails } from '../cli/output-tails.ts';
import { LiveStateUpdater, liveStateOf } from '../cli/tty-state.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/caisson.js');
const IMAGE = 'busybox:latest';
const MB = 1e6;

const SCENARIOS = [
  { name: 'no output (fixed costs)', command: 'true', bytes: 0 },
  { name: '10 MB without a newline', command: `head -c ${10 * MB} /dev/zero | tr '\\000' x`, bytes: 10 * MB },
  { name: '600 MB of ordinary lines', command: `yes 'an ordinary line of build output, about seventy bytes long, ok' | head -c ${600 * MB}`, bytes: 600 * MB },
  { name: '20 MB of NUL bytes', command: `head -c ${20 * MB} /dev/zero`, bytes: 20 * MB },
];

/** Runs `argv` under GNU time, draining its stdout; wall seconds and peak RSS in MB. */
function measure(argv: string[], cwd: string): Promise<{ seconds: number; rssMb: number; stdoutBytes: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', ...argv], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdoutBytes += d.length; });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /TIME ([\d.]+) (\d+)/.exec(stderr);
      if (!m) return reject(new Error(`no timing from ${argv.join(' ')}: ${stderr}`));
      resolve({ seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, stdoutBytes, code });
    });
  });
}

const dirSize = (dir: string): number => readdirSync(dir).reduce((sum, n) => {
  const p = join(dir, n);
  const s = statSync(p);
  return sum + (s.isDirectory() ? dirSize(p) : s.size);
}, 0);

const out: string[] = [];
const say = (line: string) => { out.push(line); console.log(line); };
const work = mkdtempSync(join(tmpdir(), 'caisson-output-bench-'));
try {
  writeFileSync(join(work, 'package.json'), '{"type":"module"}\n');
  for (const [i, s] of SCENARIOS.entries()) {
    const file = join(work, `p${i}.ts`);
    writeFileSync(file, `import { pipeline } from ${JSON.stringify(join(ROOT, 'core/plugin-kit.ts'))};\n`
      + `export default pipeline('bench', { image: ${JSON.stringify(IMAGE)} }).exec('out', ${JSON.stringify(s.command)});\n`);
    const base = await measure(['docker', 'run', '--rm', '--label', 'dev.caisson.bench=1', IMAGE, 'sh', '-c', s.command], work);
    const ours = await measure([process.execPath, BIN, 'run', '--no-typecheck', file], work);
    if (ours.code !== 0) throw new Error(`caisson run of "${s.name}" exited ${ours.code}`);
    const records = join(work, '.caisson', 'runs');
    const recorded = dirSize(records);
    rmSync(records, { recursive: true, force: true });
    say(`${i}. ${s.name}: caisson ${ours.seconds.toFixed(2)} s, ${ours.rssMb.toFixed(0)} MB RSS vs docker run ${base.seconds.toFixed(2)} s, `
      + `${base.rssMb.toFixed(0)} MB  time ratio ${(ours.seconds / base.seconds).toFixed(2)}, RSS ratio ${(ours.rssMb / base.rssMb).toFixed(2)}; `
      + (s.bytes ? `record ${(recorded / MB).toFixed(1)} MB = ${(recorded / s.bytes).toFixed(2)} x the output` : `record ${(recorded / 1000).toFixed(1)} kB`));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// 4. In-process: 10 MB without a newline in 16 KB chunks through every per-chunk piece.
{
  const chunk = 'x'.repeat(16 * 1024);
  const n = Math.ceil((10 * MB) / chunk.length);
  let sink = 0;
  const dir = mkdtempSync(join(tmpdir(), 'caisson-output-bench-'));
  try {
    const fd = openSync(join(dir, 'raw'), 'w');
    const t0 = performance.now();
    for (let i = 0; i < n; i++) writeSync(fd, chunk);
    const raw = performance.now() - t0;
    closeSync(fd);
    const ir = compile(pipeline('bench').exec('out', 'x'));
    const scrubber = new SecretScrubber(['s3cret-value']);
    const plain = new PlainReporter(() => { sink++; });
    const tails = new OutputTails();
    const live = new LiveStateUpdater(liveStateOf(ir));
    const writer = new OutputWriter(dir);
    const t1 = performance.now();
    for (let i = 0; i < n; i++) {
      const data = scrubber.push(chunk);
      const e = { type: 'output', at: 0, path: '/bench/out', attempt: 1, stream: 'stdout', data } as const;
      plain.onEvent(e);
      tails.add(e.path, data);
      live.apply(e);
      writer.write(e.path, 1, { at: 0, stream: 'stdout', data });
    }
    writer.closeAll();
    const ours = performance.now() - t1;
    say(`4. 10 MB without a newline, in-process per-chunk pieces: ${ours.toFixed(0)} ms vs writing the chunks to a file ${raw.toFixed(0)} ms  `
      + `ratio ${(ours / raw).toFixed(1)} (${(10 / (ours / 1000)).toFixed(0)} MB/s${sink > 0 ? '' : ', nothing reported?'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`\nsummary\n  ${out.join('\n  ')}`);
