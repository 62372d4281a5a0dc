/**
 * Moving a 100 MB artifact between two nodes, against `docker cp` of the same file, in the same run on
 * the same daemon; printed as a ratio, nothing asserted. busybox:latest, about a minute.
 *   node --import tsx bench/artifacts.bench.ts
 *
 * Caisson: a producer writes 100 MB of random bytes and declares it as an output; a consumer in a fresh
 * container (`reuse: "new"`) takes it as an input and checks its size. Its cost is that pipeline's time
 * less the time of the same pipeline with nothing declared (same commands, same containers), so only
 * the copy out, the hash and store in the record, and the copy in are counted.
 * docker cp: two running containers, the file written in the first; `docker cp A:/big.bin HOST` then
 * `docker cp HOST B:/`, the way a script moves a file between two containers without a shared mount.
 * Each figure is the median of 3 rounds, the sides alternating.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile, Engine, FolderArtifactStore, pipeline } from '../core/plugin-kit.ts';
import { DockerRuntimeProvider } from '../plugins/runtime-docker/index.ts';

const IMAGE = 'busybox:latest';
const ROUNDS = 3;
const MAKE = 'head -c 104857600 /dev/urandom > /big.bin';
const CHECK = 'test "$(wc -c < /big.bin)" -eq 104857600';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function pipelineMs(declared: boolean, dir: string): Promise<number> {
  const p = pipeline('move', { image: IMAGE })
    .exec('produce', MAKE, declared ? { outputs: 'big.bin' } : {})
    .exec('consume', declared ? CHECK : 'true', { reuse: 'new', ...(declared ? { inputs: '/move/produce' } : {}) });
  const run = new Engine(new DockerRuntimeProvider()).createRun(compile(p), { artifacts: new FolderArtifactStore(dir) });
  const t0 = performance.now();
  const result = await run.start();
  const ms = performance.now() - t0;
  if (result.state !== 'done') throw new Error(`benchmark pipeline ended ${result.state}: ${JSON.stringify(result.statuses)}`);
  return ms;
}

const docker = (...args: string[]): string => {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

function dockerCpMs(hostDir: string): number {
  const a = docker('run', '-d', '--label', 'dev.caisson.bench=artifacts', IMAGE, 'sleep', '600');
  const b = docker('run', '-d', '--label', 'dev.caisson.bench=artifacts', IMAGE, 'sleep', '600');
  try {
    docker('exec', a, 'sh', '-c', MAKE);
    const t0 = performance.now();
    docker('cp', `${a}:/big.bin`, join(hostDir, 'big.bin'));
    docker('cp', join(hostDir, 'big.bin'), `${b}:/`);
    const ms = performance.now() - t0;
    docker('exec', b, 'sh', '-c', CHECK);
    return ms;
  } finally {
    docker('rm', '-f', a, b);
    rmSync(join(hostDir, 'big.bin'), { force: true });
  }
}

const caisson: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'caisson-bench-artifacts-'));
  try {
    const withArtifact = await pipelineMs(true, dir);
    const without = await pipelineMs(false, dir);
    caisson.push(withArtifact - without);
    baseline.push(dockerCpMs(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const c = median(caisson);
const d = median(baseline);
console.log([
  `artifacts.bench (median of ${ROUNDS} rounds): moving 100 MB between two containers`,
  `  docker cp A→host→B            ${d.toFixed(0).padStart(6)} ms   1.00x`,
  `  caisson outputs → inputs      ${c.toFixed(0).padStart(6)} ms   ${(c / d).toFixed(2)}x   (copy out, sha256, stored in the record, copy in)`,
  `  rounds: caisson ${caisson.map((x) => x.toFixed(0)).join(', ')} ms; docker cp ${baseline.map((x) => x.toFixed(0)).join(', ')} ms`,
].join('\n'));
