/**
 * Child process for the SIGKILL test: runs a pipeline whose two parallel Execs sleep for minutes, and
 * prints `running` once both have containers. Usage: node --import tsx run-long-pipeline.ts <runId>
 */
import { compile, Engine, pipeline } from '../../../core/index.ts';
import { DockerRuntimeProvider } from '../../../plugins/runtime-docker/index.ts';

const runId = process.argv[2] ?? 'long';
const p = pipeline('long', { image: 'busybox:latest', parallel: true })
  .exec('a', 'sleep 600', { reuse: 'new' })
  .exec('b', 'sleep 600', { reuse: 'new' });
const run = new Engine(new DockerRuntimeProvider(), undefined, { capacity: { cpu: 8, mem: 64 } }).createRun(compile(p), { runId });
let containers = 0;
run.on((e) => { if (e.type === 'container' && ++containers === 2) process.stdout.write('running\n'); });
await run.start();
