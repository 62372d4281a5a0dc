// The runtime contract's run sessions: open(run) once per start, every container and service of the run
// through that run's session, closed when the start ends. A provider never has to guess the run.
import { strict as assert } from 'node:assert';
import { compile, containerHook, Engine, pipeline } from '../../../core/index.ts';
import type { ContainerSpec, HookFiredEvent, RunContext, RuntimeProvider, RuntimeSession } from '../../../core/index.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

/** A provider that records which session each acquire came through, and insists it is the spec's run. */
class SessionProbe implements RuntimeProvider {
  readonly name = 'probe';
  readonly inner = new FakeRuntimeProvider();
  readonly capabilities = this.inner.capabilities;
  readonly acquired: { session: string; spec: ContainerSpec }[] = [];
  readonly events: string[] = [];

  async open(run: RunContext): Promise<RuntimeSession> {
    const inner = await this.inner.open(run);
    this.events.push(`open ${run.runId}`);
    return {
      run,
      acquire: async (spec, signal) => {
        // The session is the run's: what the engine asks of it carries that run's labels.
        assert.equal(spec.labels['dev.caisson.run'], run.runId, 'a container of another run came through this session');
        this.acquired.push({ session: run.runId, spec });
        return inner.acquire(spec, signal);
      },
      close: async () => { this.events.push(`close ${run.runId}`); await inner.close(); },
    };
  }
}

describe('runtime sessions', () => {
  it('each run\'s containers come through its own session, opened at start and closed at the end, two runs at once', async () => {
    const probe = new SessionProbe();
    probe.inner.scriptDefault({ duration: '1s' });
    const engine = new Engine(probe, probe.inner.clock, { capacity: { cpu: 16, mem: 64 } });
    const ir = compile(pipeline('ci').parallel('p', (p) => p.exec('a', 'x', { reuse: 'new' }).exec('b', 'x', { reuse: 'new' })));
    const one = engine.createRun(ir, { runId: 'run-one' });
    const two = engine.createRun(ir, { runId: 'run-two' });
    const [r1, r2] = await Promise.all([one.start(), two.start()]);
    assert.deepEqual([r1.state, r2.state], ['done', 'done']);
    assert.deepEqual(probe.acquired.map((a) => a.session).sort(), ['run-one', 'run-one', 'run-two', 'run-two']);
    assert.deepEqual([...probe.events].sort(), ['close run-one', 'close run-two', 'open run-one', 'open run-two']);
    // The fake's records say the same: each container belongs to the run whose session made it.
    assert.deepEqual(probe.inner.containers.map((c) => [c.runId, c.spec.labels['dev.caisson.run']]).filter(([a, b]) => a !== b), []);
  });

  it('a second start opens a new session; nothing is asked of the runtime between starts', async () => {
    const probe = new SessionProbe();
    const run = new Engine(probe, probe.inner.clock).createRun(compile(pipeline('ci').exec('a', 'x').exec('b', 'x')));
    await run.start();
    run.reset('/ci/b');
    assert.deepEqual(probe.events, [`open ${run.id}`, `close ${run.id}`]);
    await run.start();
    assert.deepEqual(probe.events, [`open ${run.id}`, `close ${run.id}`, `open ${run.id}`, `close ${run.id}`]);
    assert.equal(probe.acquired.length, 2);
  });

  it('a container hook fired between starts (by a reset) opens a session of its own for the run, and closes it', async () => {
    const probe = new SessionProbe();
    const ir = compile(pipeline('ci').exec('a', 'x').on('stateChange', containerHook('busybox:latest', 'true')));
    const run = new Engine(probe, probe.inner.clock).createRun(ir, { runId: 'r-hook' });
    await run.start();
    const during = probe.events.length;
    const fired = new Promise<HookFiredEvent>((resolve) => run.on((e) => { if (e.type === 'hook' && e.key.endsWith('stateChange:pending|0')) resolve(e); }));
    run.reset('/ci');
    const hook = await fired;
    assert.equal(hook.ok, true, hook.error);
    assert.deepEqual(probe.events.slice(during), ['open r-hook', 'close r-hook']);
    assert.equal(probe.acquired.at(-1)!.session, 'r-hook');
    assert.equal(probe.acquired.at(-1)!.spec.group, 'hook:/ci');
  });
});
