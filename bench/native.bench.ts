/**
 * Native functions: the extra start-up cost of a native node over the same work as a shell command, on
 * Docker, in one reused container (container start-up is the same for both and left out). Each node's
 * time is its running → done span on the engine clock; medians of several nodes, after a warm-up.
 *   node --import tsx --conditions=caisson-source bench/native.bench.ts     (npm run bench -- native)
 * A third series runs `node -e` as a shell command, the floor any Node-based call has: node's own start-up.
 * Needs the image caisson/node (debian:bookworm-slim + nodejs), built here on first use.
 */
import { compile, createCaisson, pipeline, image, type RunEvent } from 'caisson';
import { dockerRuntime } from 'caisson/docker';
import { buildkit } from 'caisson/buildkit';
import { baseReqsImages } from 'caisson/image-base-reqs';
import { nativeBundle } from 'caisson/native-bundle';
import { add } from './support/native-add.ts';

const N = Number(process.env.BENCH_RUNS ?? 9);


const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });
let p = pipeline('bench', { image: node });
for (let i = 0; i <= N; i++) {
  p = p.exec(`native-${i}`, add, 1, 2, i).exec(`shell-${i}`, `echo $((1 + 2 + ${i}))`).exec(`node-${i}`, `node -e 'console.log(1 + 2 + ${i})'`);
}
const ir = compile(p, { baseDir: import.meta.dirname });

const { engine, images } = createCaisson({ plugins: [dockerRuntime({ handleSignals: false }), buildkit(), baseReqsImages(), nativeBundle()] });
const resolved = await images.resolveAll(ir, {});
const run = engine.createRun(ir, { images: resolved, baseDir: import.meta.dirname });
const started = new Map<string, number>();
type Kind = 'native' | 'shell' | 'node';
const spans: Record<Kind, number[]> = { native: [], shell: [], node: [] };
run.on((e: RunEvent) => {
  if (e.type !== 'state') return;
  if (e.state === 'running') started.set(e.path, e.at);
  if (e.state === 'done' && started.has(e.path)) {
    const m = /\/(native|shell|node)-(\d+)$/.exec(e.path);
    if (m && m[2] !== '0') spans[m[1] as Kind].push(e.at - started.get(e.path)!);
  }
});
const result = await run.start();
if (result.state !== 'done') throw new Error(`bench run ended ${result.state}: ${result.failed.map((f) => `${f}: ${run.status(f).reason}`).join(', ')}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const nat = median(spans.native);
const sh = median(spans.shell);
const bare = median(spans.node);
process.stdout.write([
  `native node ${nat} ms, shell node ${sh} ms (medians of ${N}, one reused container): +${nat - sh} ms, ${(nat / sh).toFixed(2)}x`,
  `the same work as \`node -e\` in a shell node: ${bare} ms; native over that (Caisson's own part: the entry, the reply file read back): +${nat - bare} ms, ${(nat / bare).toFixed(2)}x`,
  '',
].join('\n'));
