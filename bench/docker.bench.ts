/**
 * Docker runtime benchmarks. Each figure is Caisson against a baseline measured in the same
 * run on the same daemon, printed as a ratio; nothing is asserted. busybox:latest, ~3 min in all (measured 2 min 59 s).
 *   node --import tsx bench/docker.bench.ts
 *
 * 1. 50 trivial Execs in a Parallel, each `reuse: "new"` (a fresh container each), through the Engine,
 *    vs raw dockerode create/start/wait/remove at the same concurrency.          target ratio <= 1.10
 * 2. 200 trivial Execs in one reused container (a Serial with reuse "new") vs a loop of raw dockerode
 *    exec (create+start+inspect).                                                 target well below 1
 *    And the provider's round trip per command vs the same command on a plain attached shell.  target <= 1.10
 * 3. A 100-node mixed pipeline (5 Parallels and 5 Serials of 10 steps) vs a shell script of the same
 *    shape: `docker run --rm busybox sh -c ...` per step, the Parallels' 10 at once, the Serials' in turn.
 * 4. A Serial of 20 trivial Execs, each `reuse: "new"`, vs raw sequential create/start/wait/remove:
 *    the next container is warmed while one runs.                                target ratio <= 0.6
 * Every figure is a median of 3 rounds, the two sides alternating. BENCH_ROWS=1,4 runs only those rows,
 * BENCH_ROUNDS=5 takes the median of 5 rounds (on a busy machine, more rounds and one row at a time).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { compile, Engine, pipeline, type GroupBuilder } from '../core/index.ts';
import { DockerRuntimeProvider } from '../plugins/runtime-docker/index.ts';
import { hijackAttach } from '../plugins/runtime-docker/hijack-attach.ts';
import { figure } from './figures.ts';

const IMAGE = 'busybox:latest';
const docker = new Docker();
const BIG = { cpu: 1024, mem: 4096 }; // capacity so only the benchmark's own concurrency limits it

const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const runPipeline = async (p: GroupBuilder, capacity?: { cpu?: number; mem?: number }) => {
  const run = new Engine(new DockerRuntimeProvider(), undefined, { capacity }).createRun(compile(p));
  const result = await run.start();
  if (result.state !== 'done') throw new Error(`benchmark pipeline ended ${result.state}: ${result.failed.join(', ')}`);
};

const demux = (stream: NodeJS.ReadableStream) => new Promise<void>((resolve) => {
  stream.on('end', resolve);
  stream.on('close', resolve);
  stream.resume();
});

/** Raw floor for one fresh container running `true`. */
const rawFresh = async (labels: Record<string, string>) => {
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['true'], Labels: labels });
  await c.start();
  await c.wait();
  await c.remove({ force: true });
};

/** Raw floor for one `exec` of `true` in a running container. */
const rawExec = async (c: Docker.Container) => {
  const exec = await c.exec({ Cmd: ['true'], AttachStdout: true, AttachStderr: true });
  await demux(await exec.start({}));
  const info = await exec.inspect();
  if (info.ExitCode !== 0) throw new Error(`exec exited ${info.ExitCode}`);
};

/**
 * Floor for one more command in a running container: a line on a plain `sh`'s attached stdin that runs
 * the command in a shell process of its own (as the driver does) and prints a marker; `n` of them, timed.
 */
const attachedShell = async (n: number): Promise<number> => {
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sh'], OpenStdin: true, StdinOnce: false, Labels: { 'dev.caisson.bench': '1' } });
  const stream = await hijackAttach(docker, c);
  await c.start();
  let seen = '';
  let waiting: { marker: string; done: () => void } | undefined;
  stream.on('data', (d: Buffer) => {
    seen += d.toString('latin1');
    if (waiting && seen.includes(waiting.marker)) { const w = waiting; waiting = undefined; seen = ''; w.done(); }
  });
  const one = (i: number) => new Promise<void>((done) => { waiting = { marker: `end${i}\n`, done }; stream.write(`sh -c true; echo end${i}\n`); });
  try {
    await one(-1);
    return await time(async () => { for (let i = 0; i < n; i++) await one(i); });
  } finally {
    stream.destroy();
    await c.remove({ force: true });
  }
};

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROWS = process.env.BENCH_ROWS?.split(',').map(Number);
const row = (n: number) => !ROWS || ROWS.includes(n);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const out: string[] = [];
const say = (line: string) => { out.push(line); console.log(line); };

// Warm-up: the first container of a process pays for image and socket setup on both sides.
await rawFresh({ 'dev.caisson.bench': '1' });
await runPipeline(pipeline('warm', { image: IMAGE }).exec('w', 'true'));

// 1. Fresh containers, 50 at once. Alternate the two sides, ROUNDS rounds, medians.
if (row(1)) {
  const N = 50;
  const fresh = (() => {
    let p: GroupBuilder = pipeline('fresh', { image: IMAGE, parallel: true });
    for (let i = 0; i < N; i++) p = p.exec(`n${i}`, 'true', { reuse: 'new' });
    return p;
  })();
  const raw: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(await time(() => Promise.all(Array.from({ length: N }, () => rawFresh({ 'dev.caisson.bench': '1' })))));
    ours.push(await time(() => runPipeline(fresh, BIG)));
  }
  const r = median(raw);
  const c = median(ours);
  say(`1. ${N} Execs, fresh container each, all at once: caisson ${fmt(c)} vs raw create/start/wait/remove ${fmt(r)}  ratio ${(c / r).toFixed(2)} (target <= 1.10)`);
  figure({ what: `${N} fresh-container Execs in a Parallel`, value: c, baseline: 'raw dockerode create/start/wait/remove, same concurrency', baselineValue: r, unit: 'ms', target: 1.1 });
}

// 2. One reused container, 200 Execs one after another.
if (row(2)) {
  const N = 200;
  let p: GroupBuilder = pipeline('reused', { image: IMAGE, reuse: 'new' });
  for (let i = 0; i < N; i++) p = p.exec(`n${i}`, 'true');
  const box = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { 'dev.caisson.bench': '1' } });
  await box.start();
  const ours: number[] = [];
  const raw: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await time(() => runPipeline(p, BIG)));
      raw.push(await time(async () => { for (let i = 0; i < N; i++) await rawExec(box); }));
    }
  } finally {
    await box.remove({ force: true });
  }
  const c = median(ours);
  const r = median(raw);
  // The provider alone (no engine): the driver round trip per command.
  const provider = new DockerRuntimeProvider();
  const ctx = { runId: `bench-${process.pid}`, labels: {} };
  const session = await provider.open(ctx);
  const lease = await session.acquire({
    image: IMAGE, cpu: 1, mem: 0.5, gpu: 0, backend: {}, mounts: [], labels: {}, group: 'bench',
  }, new AbortController().signal);
  const signal = new AbortController().signal;
  const alone: number[] = [];
  const shell: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    alone.push(await time(async () => {
      for (let i = 0; i < N; i++) await lease.run({ path: '/bench', command: 'true', env: {}, signal, onOutput: () => {} });
    }));
    shell.push(await attachedShell(N));
  }
  const d = median(alone);
  const f = median(shell);
  await session.close();
  figure({ what: 'one more node in a reused container (provider round trip)', value: d / N, baseline: 'a command on an attached shell (sh -c, then a marker)', baselineValue: f / N, unit: 'ms', target: 1.1 });
  say(`2. ${N} Execs in one reused container: caisson ${fmt(c)} (${(c / N).toFixed(1)} ms/node, container start included) vs raw exec loop ${fmt(r)} (${(r / N).toFixed(1)} ms/node)  ratio ${(c / r).toFixed(3)} (target well below 1); provider alone ${(d / N).toFixed(2)} ms/command vs an attached shell ${(f / N).toFixed(2)} ms/command  ratio ${(d / f).toFixed(2)} (target <= 1.10), ${(r / d).toFixed(0)}x faster than exec`);
}

// 3. A 100-node mixed pipeline vs a naive `docker run --rm` loop.
if (row(3)) {
  const steps: string[] = [];
  for (let i = 0; i < 100; i++) {
    const kind = i % 4;
    steps.push(kind === 0 ? `echo step ${i}` : kind === 1 ? `seq 1 2000 | sha256sum` : kind === 2 ? `ls -la / | wc -l` : 'sleep 0.05; date');
  }
  let p: GroupBuilder = pipeline('mixed', { image: IMAGE });
  for (let g = 0; g < 10; g++) {
    p = g % 2 === 0
      ? p.parallel(`par${g}`, (par) => steps.slice(g * 10, g * 10 + 10).reduce((acc, cmd, j) => acc.exec(`s${j}`, cmd), par))
      : p.serial(`ser${g}`, (ser) => steps.slice(g * 10, g * 10 + 10).reduce((acc, cmd, j) => acc.exec(`s${j}`, cmd), ser));
  }
  // The same shape without Caisson: a fresh `docker run --rm` per step, a Parallel's 10 at once (and
  // waited for), a Serial's one after another.
  const run1 = (s: string) => `docker run --rm --label dev.caisson.bench=1 ${IMAGE} sh -c '${s}' >/dev/null`;
  const groups = Array.from({ length: 10 }, (_, g) => {
    const group = steps.slice(g * 10, g * 10 + 10);
    return g % 2 === 0 ? `${group.map((s) => `${run1(s)} &`).join('\n')}\nfor j in $(jobs -p); do wait "$j"; done` : group.map(run1).join('\n');
  });
  const script = groups.join('\n');
  const ours: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Default engine capacity (this machine's cores and memory): what a user gets out of the box.
    ours.push(await time(() => runPipeline(p)));
    raw.push(await time(async () => {
      const res = spawnSync('bash', ['-ec', script], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (res.status !== 0) throw new Error('the same-shape docker run script failed');
    }));
  }
  const c = median(ours);
  const r = median(raw);
  figure({ what: '100-node mixed pipeline', value: c, baseline: 'a docker run --rm per step, same shape', baselineValue: r, unit: 'ms' });
  say(`3. 100-node mixed pipeline (5 Parallels, 5 Serials of 10): caisson ${fmt(c)} vs the same shape with a \`docker run --rm\` per step ${fmt(r)}  speed-up ${(r / c).toFixed(1)}x (medians of ${ROUNDS})`);
}

// 4. Isolation in a Serial: 20 Execs one after another, each `reuse: "new"` (a fresh container each), vs
//    raw sequential create/start/wait/remove. The engine creates the next container while one runs.
if (row(4)) {
  const N = 20;
  let p: GroupBuilder = pipeline('isolated', { image: IMAGE });
  for (let i = 0; i < N; i++) p = p.exec(`n${i}`, 'true', { reuse: 'new' });
  const ours: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(await time(async () => { for (let i = 0; i < N; i++) await rawFresh({ 'dev.caisson.bench': '1' }); }));
    ours.push(await time(() => runPipeline(p, BIG)));
  }
  const c = median(ours);
  const r = median(raw);
  say(`4. Serial of ${N} Execs, fresh container each: caisson ${fmt(c)} vs raw sequential create/start/wait/remove ${fmt(r)}  ratio ${(c / r).toFixed(2)} (target <= 0.6)`);
  figure({ what: `Serial of ${N} fresh-container Execs`, value: c, baseline: 'raw sequential create/start/wait/remove', baselineValue: r, unit: 'ms', target: 0.6 });
}

// Leave nothing: the raw baselines label their containers too.
for (const c of await docker.listContainers({ all: true, filters: { label: ['dev.caisson.bench'] } })) {
  await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
}
console.log(`\nsummary\n  ${out.join('\n  ')}`);
