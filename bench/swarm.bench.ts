/**
 * The Swarm runtime against local Docker, in the same run: a 50-node Parallel of fresh containers on a
 * two-node swarm (test/helpers/two-node-swarm.ts: a manager and a worker dockerd on this machine, each in
 * its own network namespace) and on one-node Swarm, against the same on the local Docker runtime; what
 * one more fresh node costs in a Serial; and the marginal cost of a node in a reused container (a command
 * over the task's call-back channel against one over Docker's attach stream). Medians of 3 rounds, each
 * a whole engine run in its own process (bench/support/swarm-shape.ts); printed as ratios, nothing
 * asserted. Needs scripts/setup-swarm.sh (registry, one-node swarm). Several minutes.
 *   node --import tsx bench/swarm.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TwoNodeSwarm } from '../test/helpers/two-node-swarm.ts';
import { figure } from './figures.ts';

const ROUNDS = 3;
const SHAPE = join(import.meta.dirname, 'support/swarm-shape.ts');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One run of `shape` on `runtime`; `netnsPid` runs it in that process's network namespace. */
const timed = (runtime: 'docker' | 'swarm', shape: string, env: NodeJS.ProcessEnv = {}, netnsPid?: number): number => {
  const argv = [process.execPath, '--import', 'tsx', '--conditions=caisson-source', SHAPE, runtime, shape];
  const [cmd, ...args] = netnsPid ? ['nsenter', `--net=/proc/${netnsPid}/ns/net`, ...argv] : argv;
  const r = spawnSync(cmd!, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${shape} on ${runtime} failed: ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ms: number }).ms;
};

const two = new TwoNodeSwarm();
const info = await two.start();
try {
  const onTwo = { DOCKER_HOST: info.managerHost, CAISSON_REGISTRY: info.registry };
  const rows = { dockerP: [] as number[], oneP: [] as number[], twoP: [] as number[], dockerS: [] as number[], twoS: [] as number[], dockerR: [] as number[], twoR: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    rows.dockerP.push(timed('docker', 'parallel50'));
    rows.oneP.push(timed('swarm', 'parallel50'));
    rows.twoP.push(timed('swarm', 'parallel50', onTwo, two.managerPid));
    rows.dockerS.push(timed('docker', 'serial10'));
    rows.twoS.push(timed('swarm', 'serial10', onTwo, two.managerPid));
    rows.dockerR.push(timed('docker', 'reused50'));
    rows.twoR.push(timed('swarm', 'reused50', onTwo, two.managerPid));
  }
  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)])) as { [K in keyof typeof rows]: number };
  const line = (label: string, ms: number, base: number, note = '') => `  ${label.padEnd(44)}${ms.toFixed(0).padStart(7)} ms   ${(ms / base).toFixed(2)}x${note}`;
  const perNode = (ms: number, n: number) => ms / n;
  console.log([
    `swarm.bench (median of ${ROUNDS} rounds; two-node swarm = manager + worker dockerd on this machine)`,
    '  50 fresh nodes in a Parallel:',
    line('local Docker', m.dockerP, m.dockerP),
    line('one-node Swarm (this daemon)', m.oneP, m.dockerP),
    line('two-node Swarm', m.twoP, m.dockerP),
    '  one more fresh node in a Serial (10 nodes):',
    line('local Docker, per node', perNode(m.dockerS, 10), perNode(m.dockerS, 10)),
    line('two-node Swarm, per node', perNode(m.twoS, 10), perNode(m.dockerS, 10)),
    '  one more node in a reused container (50 nodes):',
    `  ${'local Docker, per node'.padEnd(44)}${perNode(m.dockerR, 50).toFixed(1).padStart(7)} ms   1.00x`,
    `  ${'two-node Swarm, per node'.padEnd(44)}${perNode(m.twoR, 50).toFixed(1).padStart(7)} ms   ${(m.twoR / m.dockerR).toFixed(2)}x`,
    `  rounds (ms): ${Object.entries(rows).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('/')}`).join('; ')}`,
  ].join('\n'));
  figure({ what: '50-node Parallel, two-node Swarm', value: m.twoP, baseline: 'the same on local Docker', baselineValue: m.dockerP, unit: 'ms' });
  figure({ what: '50-node Parallel, one-node Swarm', value: m.oneP, baseline: 'the same on local Docker', baselineValue: m.dockerP, unit: 'ms' });
  figure({ what: 'fresh node in a Serial, two-node Swarm', value: m.twoS / 10, baseline: 'the same on local Docker', baselineValue: m.dockerS / 10, unit: 'ms' });
  figure({ what: 'node in a reused container, two-node Swarm', value: m.twoR / 50, baseline: 'the same on local Docker', baselineValue: m.dockerR / 50, unit: 'ms' });
} finally {
  await two.destroy();
}
