/**
 * One timed run for bench/swarm.bench.ts, in a process of its own (the bench starts it inside the
 * two-node swarm manager's network namespace, where its tasks can call it back):
 *   node --import tsx bench/support/swarm-shape.ts <docker|swarm> <shape>
 * Shapes: `parallel50` (50 fresh containers at once, `true`), `serial10` (10 fresh containers one after
 * another), `reused50` (50 nodes in one reused container). Prints `{"ms": N}` on stdout.
 */
import { performance } from 'node:perf_hooks';
import { compile, Engine, pipeline, type GroupBuilder, type RuntimeProvider } from '../../core/plugin-kit.ts';
import { DockerRuntimeProvider, SwarmRuntimeProvider } from '../../plugins/runtime-docker/index.ts';

const [runtime, shape] = process.argv.slice(2);
const provider: RuntimeProvider = runtime === 'swarm' ? new SwarmRuntimeProvider() : new DockerRuntimeProvider();

const shapes: Record<string, () => GroupBuilder> = {
  parallel50: () => pipeline('p50', { image: 'busybox:latest' }).parallel('fan', (p) => {
    for (let i = 0; i < 50; i++) p = p.exec(`n${i}`, 'true', { reuse: 'new' });
    return p;
  }),
  serial10: () => pipeline('s10', { image: 'busybox:latest' }).serial('chain', (s) => {
    for (let i = 0; i < 10; i++) s = s.exec(`n${i}`, 'true', { reuse: 'new' });
    return s;
  }),
  reused50: () => pipeline('r50', { image: 'busybox:latest' }).serial('one', (s) => {
    for (let i = 0; i < 50; i++) s = s.exec(`n${i}`, 'true');
    return s;
  }, { reuse: 'new' }),
};

const make = shapes[shape ?? ''];
if (!make) throw new Error(`unknown shape "${shape}"; one of ${Object.keys(shapes).join(', ')}`);
// Images are pushed (Swarm) and looked up once, outside the timing, as a second run would find them.
await new Engine(provider, undefined, { capacity: { cpu: 64, mem: 256 } }).createRun(compile(pipeline('warm', { image: 'busybox:latest' }).exec('one', 'true'))).start();
const run = new Engine(provider, undefined, { capacity: { cpu: 64, mem: 256 } }).createRun(compile(make()));
const t0 = performance.now();
const result = await run.start();
const ms = performance.now() - t0;
if (result.state !== 'done') throw new Error(`${shape} on ${runtime} ended ${result.state}: ${JSON.stringify(result.failed)}`);
process.stdout.write(`${JSON.stringify({ ms })}\n`);
