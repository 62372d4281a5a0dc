/**
 * Nothing left behind: dispose and close remove containers; SIGINT/SIGTERM of a runner removes what it
 * created before it dies; after a SIGKILL, the next open() sweeps the dead owner's containers.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { docker, listLabelled, requireDocker, uniqueRunId } from '../helpers/docker.ts';
import { BUSYBOX, openRun, runIn } from './support/lease-fixture.ts';

const HOLDER = fileURLToPath(new URL('./support/hold-containers.ts', import.meta.url));

/** Starts the holder child and resolves with it and the container ids it printed. */
const startHolder = (runId: string, count = 2): Promise<{ child: ChildProcess; ids: string[] }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, runId, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+)\n/.exec(out);
      if (m) resolve({ child, ids: m[1]!.split(',') });
    });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code, sig) => reject(new Error(`holder exited early (${code ?? sig}): ${err}`)));
  });

const exitOf = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

/** A pid that certainly belongs to no running process: a child that already exited. */
const deadPid = async (): Promise<number> => {
  const c = spawn(process.execPath, ['-e', '']);
  await exitOf(c);
  return c.pid!;
};

describe('Docker runtime: nothing left behind', function () {
  this.timeout(120_000);
  before(async function () { await requireDocker(this); });

  it('dispose removes the container, twice is harmless; close removes the rest of the run', async () => {
    const env = await openRun();
    const a = await env.acquire(BUSYBOX);
    const b = await env.acquire(BUSYBOX);
    await runIn(a, 'echo hi');
    await a.dispose();
    await a.dispose();
    assert.deepEqual(await listLabelled(`dev.caisson.run=${env.run.runId}`), [b.id]);
    await env.done();
    assert.deepEqual(await listLabelled(`dev.caisson.run=${env.run.runId}`), []);
    await env.done();
  });

  it('close also removes labelled containers of the run it does not track (belt and braces)', async () => {
    const env = await openRun();
    const stray = await docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], Labels: { 'dev.caisson.run': env.run.runId } });
    await env.done();
    assert.deepEqual(await listLabelled(`dev.caisson.run=${env.run.runId}`), []);
    await assert.rejects(docker.getContainer(stray.id).inspect(), /no such container/i);
  });

  it('a disposed container resolves its running command as killed', async () => {
    const env = await openRun();
    const lease = await env.acquire(BUSYBOX);
    const running = runIn(lease, 'sleep 300');
    await new Promise((r) => setTimeout(r, 200));
    await lease.dispose();
    assert.deepEqual((await running).result, { exitCode: null, killed: 'signal', message: 'killed: container removed' });
    await env.done();
  });

  it("open() sweeps containers whose owner process on this host is gone, and keeps live owners'", async () => {
    const runId = uniqueRunId('sweep');
    const labels = (pid: number) => ({ 'dev.caisson.run': runId, 'dev.caisson.owner-pid': String(pid), 'dev.caisson.owner-host': hostname() });
    const dead = await docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], Labels: labels(await deadPid()) });
    const alive = await docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], Labels: labels(process.pid) });
    const elsewhere = await docker.createContainer({
      Image: BUSYBOX, Cmd: ['true'], Labels: { ...labels(await deadPid()), 'dev.caisson.owner-host': 'another-host' },
    });
    try {
      await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
      const left = await listLabelled(`dev.caisson.run=${runId}`);
      assert.ok(!left.includes(dead.id), 'dead owner: removed');
      assert.ok(left.includes(alive.id), 'live owner: kept');
      assert.ok(left.includes(elsewhere.id), 'other host: kept');
    } finally {
      await Promise.all([dead, alive, elsewhere].map((c) => c.remove({ force: true }).catch(() => {})));
    }
  });

  it('after a runner is SIGKILLed, the next open() leaves zero containers of its run', async () => {
    const runId = uniqueRunId('sigkill');
    const { child, ids } = await startHolder(runId);
    assert.equal(ids.length, 2);
    assert.deepEqual((await listLabelled(`dev.caisson.run=${runId}`)).sort(), [...ids].sort());
    child.kill('SIGKILL');
    assert.equal((await exitOf(child)).signal, 'SIGKILL');
    assert.equal((await listLabelled(`dev.caisson.run=${runId}`)).length, 2, 'SIGKILL gives the runner no chance to clean up');
    await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });

  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`a runner receiving ${signal} removes its containers and still dies of the signal`, async () => {
      const runId = uniqueRunId(signal.toLowerCase());
      const { child } = await startHolder(runId);
      child.kill(signal);
      const exit = await exitOf(child);
      assert.equal(exit.signal, signal, `exit ${JSON.stringify(exit)} (a shell would report ${status})`);
      assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
    });
  }
});
