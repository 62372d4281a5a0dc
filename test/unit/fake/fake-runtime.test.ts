// FakeRuntimeProvider: scripts by path and attempt, recording, and the contract checks it makes.
import { strict as assert } from 'node:assert';
import type { CommandSpec, ContainerSpec } from '../../../core/index.ts';
import { FakeRuntimeProvider, VIRTUAL_EPOCH } from '../../../plugins/runtime-fake/index.ts';
import { rejectsCode, throwsCode } from '../../helpers/errors.ts';

const spec = (image = 'img:latest'): ContainerSpec => ({
  image, cpu: 1, mem: 2, gpu: 0, backend: {}, mounts: [], labels: {}, group: 'global',
});
const command = (path: string, extra: Partial<CommandSpec> = {}): CommandSpec => ({
  path, command: 'true', env: {}, signal: new AbortController().signal, onOutput: () => undefined, ...extra,
});
const never = new AbortController().signal;
const RUN = { runId: 'r1', labels: {} };

describe('FakeRuntimeProvider', () => {
  it('runs a scripted node: exit code, output by stream, virtual duration; records the call', async () => {
    const fake = new FakeRuntimeProvider().script('/ci/unit', { exitCode: 3, stdout: 'o', stderr: 'e', duration: '1m30s' });
    const lease = await fake.acquire(spec(), never, RUN);
    const output: string[] = [];
    const result = await lease.run(command('/ci/unit', { command: ['npm', 'test'], env: { A: '1' }, onOutput: (s, d) => output.push(`${s}:${d}`) }));
    assert.deepEqual(result, { exitCode: 3 });
    assert.deepEqual(output, ['stdout:o', 'stderr:e']);
    assert.deepEqual(fake.calls, [{
      path: '/ci/unit', attempt: 1, image: 'img:latest', env: { A: '1' }, command: ['npm', 'test'], containerId: 'fake-1',
      start: VIRTUAL_EPOCH, end: VIRTUAL_EPOCH + 90_000, exitCode: 3, killed: false,
    }]);
  });

  it('unscripted nodes exit 0 at once, or follow scriptDefault()', async () => {
    const fake = new FakeRuntimeProvider();
    const lease = await fake.acquire(spec(), never, RUN);
    assert.deepEqual(await lease.run(command('/a')), { exitCode: 0 });
    fake.scriptDefault({ exitCode: 7 });
    assert.deepEqual(await lease.run(command('/b')), { exitCode: 7 });
  });

  it('per-attempt scripts: a list (the last entry repeats) or a function of the attempt', async () => {
    const fake = new FakeRuntimeProvider()
      .script('/flaky', [{ exitCode: 1 }, { exitCode: 2 }, {}])
      .script('/fn', (attempt) => ({ exitCode: attempt < 3 ? 1 : 0 }));
    const lease = await fake.acquire(spec(), never, RUN);
    const codes = async (path: string) => {
      const out: Array<number | null> = [];
      for (let i = 0; i < 4; i++) out.push((await lease.run(command(path))).exitCode);
      return out;
    };
    assert.deepEqual(await codes('/flaky'), [1, 2, 0, 0]);
    assert.deepEqual(await codes('/fn'), [1, 1, 0, 0]);
    assert.deepEqual(fake.callsOf('/fn').map((c) => c.attempt), [1, 2, 3, 4]);
  });

  it('uses the attempt the engine passes', async () => {
    const fake = new FakeRuntimeProvider().script('/a', [{ exitCode: 1 }, { exitCode: 0 }]);
    const lease = await fake.acquire(spec(), never, RUN);
    assert.deepEqual(await lease.run(command('/a', { attempt: 2 })), { exitCode: 0 });
  });

  it('hang runs until the signal aborts, then reports killed with the reason', async () => {
    const fake = new FakeRuntimeProvider().script('/stuck', { hang: true });
    const lease = await fake.acquire(spec(), never, RUN);
    const ac = new AbortController();
    fake.clock.setTimer(() => ac.abort('max time exceeded'), 5_000);
    const result = await lease.run(command('/stuck', { signal: ac.signal }));
    assert.deepEqual(result, { exitCode: null, killed: 'signal', message: 'max time exceeded' });
    assert.deepEqual([fake.calls[0]!.killed, fake.calls[0]!.killReason, fake.calls[0]!.end! - fake.calls[0]!.start], [true, 'max time exceeded', 5_000]);
  });

  it('fail makes run() throw; failImage makes acquire() throw (ImageNotFoundError by default)', async () => {
    const boom = new Error('daemon gone');
    const fake = new FakeRuntimeProvider().script('/x', { fail: boom }).failImage('ghost:1');
    await rejectsCode(fake.acquire(spec('ghost:1'), never, RUN), 'IMAGE_NOT_FOUND', { image: 'ghost:1' });
    const lease = await fake.acquire(spec(), never, RUN);
    await assert.rejects(lease.run(command('/x')), boom);
  });

  it('rejects a bad duration when scripting, naming the path', () => {
    throwsCode(() => new FakeRuntimeProvider().script('/ci/a', { duration: 'soon' }), 'USAGE', { path: '/ci/a', option: 'duration' });
  });

  it('refuses two commands at once in one container, and commands after dispose (engine contract)', async () => {
    const fake = new FakeRuntimeProvider().script('/long', { duration: '10s' });
    const lease = await fake.acquire(spec(), never, RUN);
    const first = lease.run(command('/long'));
    await rejectsCode(lease.run(command('/other')), 'LEASE', { container: 'fake-1', path: '/other' });
    await first;
    await lease.dispose();
    assert.match((await rejectsCode(lease.run(command('/late')), 'LEASE', { container: 'fake-1', path: '/late' })).message, /after it was disposed/);
    assert.deepEqual(fake.containers.map((c) => [c.id, c.disposed, c.commands]), [['fake-1', true, ['/long']]]);
  });

  it('ran() lists paths in start order', async () => {
    const fake = new FakeRuntimeProvider().script('/slow', { duration: '10s' });
    const [a, b] = [await fake.acquire(spec(), never, RUN), await fake.acquire(spec(), never, RUN)];
    await Promise.all([a.run(command('/slow')), b.run(command('/fast'))]);
    assert.deepEqual(fake.ran(), ['/slow', '/fast']);
  });
});
