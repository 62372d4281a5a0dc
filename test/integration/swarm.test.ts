/**
 * The Swarm runtime on the main daemon as a one-machine swarm with the local registry: the quick start
 * through the CLI, the five container reuse scenarios (shared with Docker and Podman), artifacts and the
 * data store through the task's call-back channel, kills, what is refused, and nothing left behind after
 * a normal end or a SIGKILLed runner.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipeline, RuntimeUnavailableError } from '../../core/index.ts';
import { SwarmRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { CAISSON_BIN } from '../helpers/cli.ts';
import { docker } from '../helpers/docker.ts';
import { requireSwarm, servicesOfRun } from '../helpers/swarm.ts';
import { runOnDocker } from './support/engine-run.ts';
import { assertHelloOutput } from './support/hello-output.ts';
import { describeReuseScenarios } from './support/reuse-scenarios.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('Swarm runtime: the quick start through the CLI', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () { await requireSwarm(this); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-swarm-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('examples/hello.ts ends done with the output it has on Docker, stdout and stderr apart, and leaves no service', async () => {
    const r = spawnSync(process.execPath, [CAISSON_BIN, 'run', join(ROOT, 'examples/hello.ts'), '--runtime', 'swarm'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assertHelloOutput(r.stdout);
    const runId = /run (\S+) of hello started/.exec(r.stdout)?.[1];
    assert.ok(runId, r.stdout);
    assert.deepEqual(await servicesOfRun(runId), []);
  });

  it('with no registry answering, the run is one error, exit 1, and leaves no record (caisson runs lists none)', () => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    const own = mkdtempSync(join(ROOT, 'tmp', 'swarm-noreg-'));
    try {
      const file = join(own, 'pipeline.ts');
      writeFileSync(file, `import { pipeline } from 'caisson';\nexport default pipeline('noreg', { image: 'busybox:latest' }).exec('a', 'echo never');\n`);
      const env = { ...process.env, NO_COLOR: '1', CAISSON_REGISTRY: '127.0.0.1:5999' };
      const r = spawnSync(process.execPath, [CAISSON_BIN, 'run', file, '--runtime', 'swarm', '--no-typecheck'], { cwd: own, encoding: 'utf8', env });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /could not start; nothing ran, and it is not recorded\ncaisson: no registry answers at 127\.0\.0\.1:5999 /);
      assert.doesNotMatch(r.stdout, /recorded in/);
      assert.deepEqual(readdirSync(join(own, '.caisson', 'runs')), []);
      const runs = spawnSync(process.execPath, [CAISSON_BIN, 'runs'], { cwd: own, encoding: 'utf8', env });
      assert.match(runs.stdout, /^no runs recorded under \.caisson\/runs/);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('after the runner is SIGKILLed mid-run, the next start removes the dead run\'s services', async () => {
    // Under the checkout's tmp/, so the file's `import 'caisson'` finds this package.
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    const own = mkdtempSync(join(ROOT, 'tmp', 'swarm-kill-'));
    try {
      const file = join(own, 'pipeline.ts');
      writeFileSync(file, `import { pipeline } from 'caisson';\nexport default pipeline('hold', { image: 'busybox:latest' }).exec('sleep', 'sleep 120');\n`);
      const child = spawn(process.execPath, [CAISSON_BIN, 'run', file, '--runtime', 'swarm', '--no-typecheck'], { cwd: own, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      let runId: string | undefined;
      for (let i = 0; i < 240 && !(runId && (await servicesOfRun(runId)).length > 0 && /\/hold\/sleep\s+running/.test(out)); i++) {
        runId ??= /run (\S+) of hold started/.exec(out)?.[1];
        await sleep(250);
      }
      assert.ok(runId, out);
      assert.equal((await servicesOfRun(runId)).length, 1, `the run's one task is up: ${out}`);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      assert.equal((await servicesOfRun(runId)).length, 1, 'a SIGKILLed runner cannot remove its service itself');
      // Its task ends anyway (its connections to the dead runner closed): the `sleep 120` does not run on.
      const running = async () => (await docker.listContainers({ filters: { label: [`dev.caisson.run=${runId}`] } })).length;
      for (let i = 0; i < 80 && await running() > 0; i++) await sleep(250);
      assert.equal(await running(), 0, 'the task\'s container stopped within 20 s of the runner\'s death');
      const next = new SwarmRuntimeProvider({ handleSignals: false });
      const ctx = { runId: `sweeper-${process.pid}`, labels: {} };
      const session = await next.open(ctx);
      await session.close();
      assert.deepEqual(await servicesOfRun(runId), []);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('Swarm runtime: native functions, their bundle copied into the task', function () {
  this.timeout(600_000);
  before(async function () { await requireSwarm(this); });

  it('calls a native function in a task (no host mount) that returns a value and writes the data store', () => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    const own = mkdtempSync(join(ROOT, 'tmp', 'swarm-native-'));
    try {
      writeFileSync(join(own, 'pipeline.ts'), `import { image, pipeline, pipelineData } from 'caisson';
export function total(xs: number[]): { sum: number; at: Date } { pipelineData.put('total', String(xs.reduce((a, b) => a + b, 0))); return { sum: xs.reduce((a, b) => a + b, 0), at: new Date('2026-01-02T00:00:00Z') }; }
const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });
export default pipeline('nat', { image: node })
  .exec('total', total, [1, 2, 3])
  .exec('again', total, [4])
  .exec('shell', 'caisson-data get total', { image: 'busybox:latest' });
`);
      const r = spawnSync(process.execPath, [CAISSON_BIN, 'run', 'pipeline.ts', '--runtime', 'swarm', '--no-typecheck'], { cwd: own, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 540_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /\/nat\/total {2}done: returned \{"sum":6,"at":Date\(2026-01-02T00:00:00\.000Z\)\}/);
      assert.match(r.stdout, /\/nat\/again {2}done: returned \{"sum":4,/, 'a second call in the same task (the bundle is already there)');
      assert.match(r.stdout, /\/nat\/shell {2}\| 4/);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describeReuseScenarios('Swarm runtime: Conducto container_reuse scenarios', requireSwarm, () => new SwarmRuntimeProvider({ handleSignals: false }), servicesOfRun);

describe('Swarm runtime: files, kills and refusals through the engine', function () {
  this.timeout(180_000);
  before(async function () { await requireSwarm(this); });

  it('moves a declared artifact and a data-store value between two tasks, and kills a command at its maxTime', async () => {
    const p = pipeline('swarm-data', { image: 'busybox:latest' })
      .exec('produce', 'mkdir -p dist && echo built > dist/out.txt && echo "hi there" | caisson-data put greeting', { outputs: ['dist'] })
      .exec('consume', 'cat dist/out.txt; caisson-data get greeting', { inputs: ['/swarm-data/produce'], reuse: 'new' })
      .exec('slow', 'echo started; sleep 60', { maxTime: '2s' });
    const run = await runOnDocker(p, { provider: new SwarmRuntimeProvider({ handleSignals: false }) });
    assert.notEqual(run.containerOf('/swarm-data/consume'), run.containerOf('/swarm-data/produce'), 'two tasks: the files crossed between them');
    assert.equal(run.stdoutOf('/swarm-data/consume'), 'built\nhi there\n');
    const states = Object.fromEntries(run.events.filter((e) => e.type === 'state').map((e) => [(e as { path: string }).path, e]));
    assert.equal((states['/swarm-data/consume'] as { state: string }).state, 'done');
    assert.equal((states['/swarm-data/slow'] as { state: string }).state, 'killed');
    assert.deepEqual(await servicesOfRun(run.runId), []);
  });

  it('a 30-way Parallel whose reducer reads all 30 outputs, each from its own task', async () => {
    const p = pipeline('fan', { image: 'busybox:latest' })
      .parallel('map', (m) => {
        for (let i = 1; i <= 30; i++) m = m.exec(`s${i}`, `mkdir -p out && echo ${i} > out/${i}.txt`, { outputs: `out/${i}.txt`, reuse: 'new' });
        return m;
      })
      .exec('reduce', 'ls in/out | wc -l; cat in/out/*.txt | awk \'{ s += $1 } END { print s }\'', { inputs: { from: '/fan/map', to: 'in' } });
    const run = await runOnDocker(p, { provider: new SwarmRuntimeProvider({ handleSignals: false }), capacity: { cpu: 64, mem: 256 } });
    assert.equal(run.result.state, 'done', JSON.stringify(run.result.failed));
    assert.equal(new Set(Array.from({ length: 30 }, (_, i) => run.containerOf(`/fan/map/s${i + 1}`))).size, 30, 'thirty tasks');
    assert.equal(run.stdoutOf('/fan/reduce').replace(/ +/g, ''), '30\n465\n');
    assert.deepEqual(await servicesOfRun(run.runId), []);
  });

  it('a registry that does not answer, or a malformed CAISSON_REGISTRY, is one error before anything runs', async () => {
    const ctx = { runId: `noreg-${process.pid}`, labels: {} };
    await assert.rejects(new SwarmRuntimeProvider({ handleSignals: false, registry: '127.0.0.1:5999' }).open(ctx),
      (e: unknown) => e instanceof RuntimeUnavailableError && /^no registry answers at 127\.0\.0\.1:5999 .*start one .*CAISSON_REGISTRY/.test(e.message));
    const saved = process.env.CAISSON_REGISTRY;
    process.env.CAISSON_REGISTRY = 'bad reg';
    try {
      await assert.rejects(new SwarmRuntimeProvider({ handleSignals: false }).open(ctx), (e: unknown) => e instanceof Error && /^CAISSON_REGISTRY: expected a registry as host\[:port\]/.test(e.message));
    } finally {
      if (saved === undefined) delete process.env.CAISSON_REGISTRY; else process.env.CAISSON_REGISTRY = saved;
    }
    assert.deepEqual(await servicesOfRun(ctx.runId), []);
  });

  it('a task no node can take (placement constraints) fails its node once, saying so, instead of waiting forever', async () => {
    const p = pipeline('placed', { image: 'busybox:latest' }).exec('nowhere', 'echo never');
    const run = await runOnDocker(p, { provider: new SwarmRuntimeProvider({ handleSignals: false, constraints: ['node.labels.caisson-test==nowhere'] }) });
    const final = run.events.filter((e) => e.type === 'state' && e.path === '/placed/nowhere').at(-1) as { state: string; reason?: string };
    assert.equal(final.state, 'error');
    assert.match(final.reason ?? '', /^group global: no Swarm node satisfies the placement constraints \(pending/);
    assert.equal(run.events.filter((e) => e.type === 'retry').length, 0);
    assert.deepEqual(await servicesOfRun(run.runId), []);
  });

  it('fails a node that sets requiresDocker or gpu with one error naming it and the option, and creates no service for it', async () => {
    const p = pipeline('refused', { image: 'busybox:latest', stopOnError: false })
      .exec('docker-in', 'docker ps', { requiresDocker: true })
      .exec('gpu', 'nvidia-smi', { gpu: 1 })
      .exec('fine', 'echo fine');
    const run = await runOnDocker(p, { provider: new SwarmRuntimeProvider({ handleSignals: false }) });
    const final = (path: string) => run.events.filter((e) => e.type === 'state' && e.path === path).at(-1) as { state: string; reason?: string } | undefined;
    assert.equal(final('/refused/docker-in')?.state, 'error');
    assert.match(final('/refused/docker-in')?.reason ?? '', /\/refused\/docker-in: requiresDocker is Docker-only, and the swarm runtime does not honour Docker settings/);
    assert.equal(final('/refused/gpu')?.state, 'error');
    assert.match(final('/refused/gpu')?.reason ?? '', /^\/refused\/gpu: gpu is not supported by the swarm runtime; remove it/);
    assert.equal(run.events.filter((e) => e.type === 'retry').length, 0, 'a refusal is the pipeline\'s doing: not retried');
    assert.equal(run.stdoutOf('/refused/fine'), 'fine\n');
    assert.equal(run.events.filter((e) => e.type === 'container').length, 1, 'only the fine node got a task');
    assert.deepEqual(await servicesOfRun(run.runId), []);
  });
});
