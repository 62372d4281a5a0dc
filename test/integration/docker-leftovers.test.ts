/**
 * Nothing left behind: dispose and close remove containers; SIGINT/SIGTERM of a runner removes what it
 * created before it dies; after a SIGKILL, the next open() sweeps the dead owner's containers.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerRuntimeProvider, getOwnerLabels, isProcessAlive } from '../../plugins/runtime-docker/index.ts';
import { docker, listLabelled, requireDocker, uniqueRunId } from '../helpers/docker.ts';
import { BUSYBOX, openRun, runIn } from './support/lease-fixture.ts';

const HOLDER = fileURLToPath(new URL('./support/hold-containers.ts', import.meta.url));

/**
 * Starts the holder child and resolves with it, the container ids it printed and its pid as it sees it.
 * `pidNamespace`: in a PID namespace of its own (as in another container of a pod), with its pid set high.
 */
const startHolder = (runId: string, count = 2, opts: { pidNamespace?: boolean } = {}): Promise<{ child: ChildProcess; ids: string[]; pid: number }> =>
  new Promise((resolve, reject) => {
    const holder = [process.execPath, '--import', 'tsx', HOLDER, runId, String(count)];
    const child = opts.pidNamespace
      ? spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', 'echo 54321 > /proc/sys/kernel/ns_last_pid && "$@"', 'sh', ...holder], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(holder[0]!, holder.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+) (\d+)\n/.exec(out);
      if (m) resolve({ child, ids: m[1]!.split(','), pid: Number(m[2]) });
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

  it("open() sweeps containers whose owner process is provably gone, and keeps everyone else's", async () => {
    const runId = uniqueRunId('sweep');
    const me = getOwnerLabels();
    const stamp = (over: Record<string, string | undefined>) =>
      Object.fromEntries(Object.entries({ ...me, 'dev.caisson.run': runId, ...over }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const make = (labels: Record<string, string>) => docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], Labels: labels });
    const dead = String(await deadPid());
    const cases = {
      deadOwner: await make(stamp({ 'dev.caisson.owner-pid': dead })),
      reusedPid: await make(stamp({ 'dev.caisson.owner-start': '1' })),
      liveOwner: await make(stamp({})),
      otherHost: await make(stamp({ 'dev.caisson.owner-pid': dead, 'dev.caisson.owner-host': 'another-host' })),
      otherPidNamespace: await make(stamp({ 'dev.caisson.owner-pid': dead, 'dev.caisson.owner-pidns': '4026539999' })),
      byHandUnmanaged: await make(stamp({ 'dev.caisson.owner-pid': dead, 'dev.caisson.managed': undefined })),
      noNamespaceLabel: await make(stamp({ 'dev.caisson.owner-pid': dead, 'dev.caisson.owner-pidns': undefined })),
    };
    try {
      await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
      const left = new Set(await listLabelled(`dev.caisson.run=${runId}`));
      const kept = Object.fromEntries(Object.entries(cases).map(([name, c]) => [name, left.has(c.id)]));
      assert.deepEqual(kept, {
        deadOwner: false, reusedPid: false, // gone: its pid is dead, or now belongs to a process started later
        liveOwner: true, otherHost: true, otherPidNamespace: true, byHandUnmanaged: true, noNamespaceLabel: true,
      });
    } finally {
      await Promise.all(Object.values(cases).map((c) => c.remove({ force: true }).catch(() => {})));
    }
  });

  it('prepare() sweeps for the next open(); an open() after that one sweeps again', async () => {
    const runId = uniqueRunId('prepare');
    const orphan = async () => (await docker.createContainer({
      Image: BUSYBOX, Cmd: ['true'], Labels: { ...getOwnerLabels(), 'dev.caisson.run': runId, 'dev.caisson.owner-pid': String(await deadPid()) },
    })).id;
    const first = await orphan();
    const provider = new DockerRuntimeProvider({ handleSignals: false });
    try {
      provider.prepare();
      const session = await provider.open({ runId: uniqueRunId(), labels: {} });
      assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), [], 'the orphan is gone once open() resolves');
      await session.close();
      const second = await orphan();
      const again = await provider.open({ runId: uniqueRunId(), labels: {} });
      assert.ok(!(await listLabelled(`dev.caisson.run=${runId}`)).includes(second), 'the second open() swept too');
      await again.close();
    } finally {
      await Promise.all([first, ...await listLabelled(`dev.caisson.run=${runId}`)].map((id) => docker.getContainer(id).remove({ force: true }).catch(() => {})));
    }
  });

  it("a live caisson in another PID namespace (same host name) keeps its containers through this one's sweep", async function () {
    if (!existsSync('/usr/bin/unshare')) this.skip();
    const runId = uniqueRunId('pidns');
    // Its pid in its own namespace is set high (ns_last_pid) so that no process of ours has it.
    const { child, ids, pid } = await startHolder(runId, 1, { pidNamespace: true });
    try {
      assert.ok(!isProcessAlive(pid), `precondition: pid ${pid} is free in this namespace`);
      await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
      assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), ids, 'the live run keeps its container');
    } finally {
      // unshare ignores SIGTERM while it waits; --kill-child takes the namespace down with it.
      child.kill('SIGKILL');
      await exitOf(child);
      await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => {})));
    }
  });

  it('labels that came from the image do not count: a container from a commit of a Caisson container is not swept', async () => {
    const runId = uniqueRunId('commit');
    const tag = `caisson-test-commit:${runId.toLowerCase()}`;
    const { child, ids } = await startHolder(runId, 1);
    const image = await docker.getContainer(ids[0]!).commit({ repo: tag.split(':')[0], tag: tag.split(':')[1] });
    child.kill('SIGKILL');
    await exitOf(child);
    const fromCommit = await docker.createContainer({ Image: tag, Entrypoint: ['true'], Cmd: [] });
    try {
      const labels = (await fromCommit.inspect()).Config.Labels;
      assert.equal(labels['dev.caisson.run'], runId, 'precondition: the image carries the dead owner\'s labels');
      await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
      assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), [fromCommit.id], 'the orphan went, the commit\'s container stayed');
    } finally {
      await fromCommit.remove({ force: true }).catch(() => {});
      await docker.getImage((image as { Id: string }).Id).remove({ force: true }).catch(() => {});
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
