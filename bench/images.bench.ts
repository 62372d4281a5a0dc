/**
 * Resolving a pipeline's images when everything is already built. Target: 20 images, one
 * with a copyDir of 10,000 files, resolved (content hashing included) in under 500 ms with zero
 * `docker buildx build` calls. Baseline measured in the same run, for the same work: the 20 images built
 * again with `docker buildx build`, one after another, every step a BuildKit cache hit (what resolving
 * would cost without the content-address cache). Medians of several runs. Needs the Docker engine
 * (scripts/setup-docker.sh).
 * Prints, never asserts.   node --import tsx bench/images.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, createCaisson, hashTree, image, pipeline, type PipelineIR } from '../core/plugin-kit.ts';
import { BuildKitImageBuilder, buildkit } from '../plugins/buildkit/index.ts';
import { baseReqsImages } from '../plugins/image-base-reqs/index.ts';
import { fakeRuntime } from '../plugins/runtime-fake/index.ts';

const RUNS = 5;
const ownCache = process.env.CAISSON_CACHE_DIR === undefined;
process.env.CAISSON_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'caisson-bench-cache-'));
const root = mkdtempSync(join(tmpdir(), 'caisson-bench-images-'));

// One tree of 10,000 small files (100 directories × 100), and 19 small trees.
const big = join(root, 'big');
for (let d = 0; d < 100; d++) {
  mkdirSync(join(big, `d${d}`), { recursive: true });
  for (let f = 0; f < 100; f++) writeFileSync(join(big, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`.repeat(4));
}
const small = Array.from({ length: 19 }, (_, i) => {
  const dir = join(root, `small-${i}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.sh'), `echo image ${i}\n`);
  return dir;
});

function pipelineIr(): PipelineIR {
  let p = pipeline('bench', { image: image({ ref: 'busybox:latest', copyDir: big, name: 'big' }) }).exec('big', 'true');
  small.forEach((dir, i) => { p = p.exec(`s${i}`, 'true', { image: image({ ref: 'busybox:latest', copyDir: dir, name: `small-${i}` }) }); });
  return compile(p);
}

/** The real builder, counting its `docker buildx build` runs (the target is none while resolving). */
class CountingBuildKit extends BuildKitImageBuilder {
  builds = 0;
  override build(...args: Parameters<BuildKitImageBuilder['build']>): ReturnType<BuildKitImageBuilder['build']> {
    this.builds++;
    return super.build(...args);
  }
}

const builder = new CountingBuildKit();
const plugins = () => [fakeRuntime(), buildkit(builder), baseReqsImages()];
const ir = pipelineIr();
process.stdout.write('building the 20 images once (not timed)…\n');
const built = await createCaisson({ plugins: plugins() }).images.resolveAll(ir);

// Timed: a fresh Caisson each run (no in-memory caches; the on-disk probe cache is warm, as after any earlier run).
const callsBefore = builder.builds;
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  await createCaisson({ plugins: plugins() }).images.resolveAll(pipelineIr());
  times.push(performance.now() - start);
}
const buildxCalls = builder.builds - callsBefore;
times.sort((a, b) => a - b);
const resolveMs = times[Math.floor(RUNS / 2)]!;

const hashTimes: number[] = [];
let files = 0;
for (let i = 0; i < RUNS; i++) {
  const hashStart = performance.now();
  files = hashTree(big).files;
  hashTimes.push(performance.now() - hashStart);
}
hashTimes.sort((a, b) => a - b);
const hashMs = hashTimes[Math.floor(RUNS / 2)]!;

// Baseline, the same work: the same 20 contexts (the 10,000-file tree and the 19 small ones) built again
// with buildx, one after another as Caisson builds, every step a cache hit after one untimed round.
const BASE_RUNS = 3;
const contexts = [big, ...small];
const DOCKERFILE = 'FROM busybox:latest\nCOPY . /mnt/caisson\nWORKDIR /mnt/caisson\n';
const buildAll = async () => {
  for (const [i, context] of contexts.entries()) {
    await builder.build({ context, dockerfile: DOCKERFILE }, { tag: `caisson/bench-baseline-${i}:cached`, image: `bench-baseline-${i}` });
  }
};
await buildAll();
const baseTimes: number[] = [];
for (let i = 0; i < BASE_RUNS; i++) {
  const start = performance.now();
  await buildAll();
  baseTimes.push(performance.now() - start);
}
baseTimes.sort((a, b) => a - b);
const baselineMs = baseTimes[Math.floor(BASE_RUNS / 2)]!;

process.stdout.write([
  `resolve 20 built images (one copyDir of ${files} files), median of ${RUNS}: ${resolveMs.toFixed(0)} ms (target < 500 ms)`,
  `  of which hashing the 10,000-file tree alone: ${hashMs.toFixed(0)} ms (median of ${RUNS})`,
  `  docker buildx build calls while resolving: ${buildxCalls} (target 0)`,
  `baseline: the same ${contexts.length} images through docker buildx build, every step cached, median of ${BASE_RUNS}: ${baselineMs.toFixed(0)} ms`,
  `ratio resolve-all / the same builds through buildx: ${(resolveMs / baselineMs).toFixed(2)}x`,
  '',
].join('\n'));

// Leave nothing behind: the files, the cache folder made here, and only the caisson/ tags built here.
rmSync(root, { recursive: true, force: true });
if (ownCache) rmSync(process.env.CAISSON_CACHE_DIR, { recursive: true, force: true });
const tags = [...Object.values(built).map((r) => r.ref), ...contexts.map((_, i) => `caisson/bench-baseline-${i}:cached`)].filter((r) => r.startsWith('caisson/'));
execFileSync('docker', ['image', 'rm', '-f', ...new Set(tags)], { stdio: 'ignore' });
