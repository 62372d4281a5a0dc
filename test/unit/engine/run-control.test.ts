// Run controls and failures: maxTime on the virtual clock, cancel, reset + attempts, kill, edit,
// runtime failures, and restoring statuses.
import { strict as assert } from 'node:assert';
import { Engine, ImageNotFoundError, RuntimeUnavailableError } from '../../../core/index.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';
import type { OutputEvent, RuntimeSession } from '../../../core/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { setup, when } from './support.ts';
import { rejectsCode, throwsCode } from '../../helpers/errors.ts';

describe('engine: maxTime', () => {
  it('kills an Exec that runs longer than maxTime: killed, "max time exceeded", at exactly maxTime', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('slow', 'x', { maxTime: 90 })])));
    fake.script('/ci/slow', { hang: true });
    await run.start();
    assert.deepEqual([run.status('/ci/slow').state, run.status('/ci/slow').reason], ['killed', 'max time exceeded']);
    const [call] = fake.calls;
    assert.deepEqual([call!.killed, call!.killReason, call!.end! - call!.start], [true, 'max time exceeded', 90_000]);
  });

  it('does not kill an Exec that finishes in time', async () => {
    const { run, fake } = setup(pipeline(exec('quick', 'x', { maxTime: 90 })));
    fake.script('/quick', { duration: '89s' });
    await run.start();
    assert.equal(run.status('/quick').state, 'done');
  });
});

describe('engine: cancel', () => {
  it('kills running nodes (reason "cancelled"), leaves the rest pending, disposes containers, resolves', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [parallel('p', [exec('a'), exec('b')]), exec('after')])));
    fake.scriptDefault({ hang: true });
    const ac = new AbortController();
    fake.clock.setTimer(() => ac.abort(), 5_000);
    const result = await run.start({ signal: ac.signal });
    assert.deepEqual(['/ci/p/a', '/ci/p/b'].map((p) => [run.status(p).state, run.status(p).reason]), [['killed', 'cancelled'], ['killed', 'cancelled']]);
    assert.equal(run.status('/ci/after').state, 'pending');
    assert.equal(result.state, 'error');
    assert.ok(fake.containers.length > 0 && fake.containers.every((c) => c.disposed));
    assert.equal(fake.closed.length, 1);
  });

  it('puts queued Execs back to pending, and a later start() runs what is pending', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b'), exec('c')], { maxConcurrent: 1 })));
    fake.script('/p/a', [{ hang: true }, {}]);
    const ac = new AbortController();
    fake.clock.setTimer(() => ac.abort(), 1_000);
    await run.start({ signal: ac.signal });
    assert.deepEqual(['/p/a', '/p/b', '/p/c'].map((p) => run.status(p).state), ['killed', 'pending', 'pending']);
    const again = await run.start();
    assert.deepEqual(fake.ran(), ['/p/a', '/p/b', '/p/c']);
    assert.equal(again.state, 'error'); // a stays killed: cancel is not a reset
  });

  it('an already aborted signal runs nothing', async () => {
    const { run, fake } = setup(pipeline(exec('a')));
    const result = await run.start({ signal: AbortSignal.abort() });
    assert.deepEqual([fake.ran(), result.state], [[], 'pending']);
  });
});

describe('engine: reset and attempts', () => {
  it('reset of one node reruns only it (attempt 2); the rest is untouched', async () => {
    const { run, fake, events } = setup(pipeline(serial('ci', [exec('a'), exec('flaky'), exec('c')])));
    fake.script('/ci/flaky', [{ exitCode: 1, stdout: 'boom' }, { stdout: 'fine' }]);
    await run.start();
    run.reset('/ci/flaky');
    assert.deepEqual([run.status('/ci/flaky').state, run.status('/ci/flaky').attempt], ['pending', 1]);
    assert.equal(run.status('/ci').state, 'pending');
    const result = await run.start();
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.ran(), ['/ci/a', '/ci/flaky', '/ci/flaky', '/ci/c']);
    assert.deepEqual(['/ci/a', '/ci/flaky', '/ci/c'].map((p) => run.status(p).attempt), [1, 2, 1]);
    const output = events.filter((e): e is OutputEvent => e.type === 'output').map((e) => [e.path, e.attempt, e.data]);
    assert.deepEqual(output, [['/ci/flaky', 1, 'boom'], ['/ci/flaky', 2, 'fine']]);
  });

  it('reset of a subtree puts every node under it back to pending and reruns them all', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('a'), parallel('p', [exec('x'), exec('y')])])));
    await run.start();
    run.reset('/ci/p');
    assert.deepEqual(['/ci/a', '/ci/p', '/ci/p/x'].map((p) => run.status(p).state), ['done', 'pending', 'pending']);
    await run.start();
    assert.deepEqual(fake.ran(), ['/ci/a', '/ci/p/x', '/ci/p/y', '/ci/p/x', '/ci/p/y']);
    assert.deepEqual(fake.callsOf('/ci/p/y').map((c) => c.attempt), [1, 2]);
  });

  it('reset of a running Exec stops it and runs it again in the same start()', async () => {
    const { run, fake } = setup(pipeline(exec('a')));
    fake.script('/a', [{ hang: true }, {}]);
    fake.clock.setTimer(() => run.reset('/a'), 1_000);
    const result = await run.start();
    assert.deepEqual([result.state, run.status('/a').attempt, fake.calls[0]!.killReason], ['done', 2, 'reset']);
  });
});

describe('engine: kill and edit', () => {
  it('kill before the command started still ends killed, and the command never runs', async () => {
    const { run, fake } = setup(pipeline(exec('a')));
    void when((l) => run.on(l), (e) => e.path === '/a' && e.state === 'running').then(() => run.kill('/a'));
    await run.start();
    assert.deepEqual([run.status('/a').state, fake.ran()], ['killed', []]);
    assert.ok(fake.containers.every((c) => c.disposed));
  });

  it('kill stops a running Exec: killed, "killed by user"; its siblings go on', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('stuck'), exec('ok')])));
    fake.script('/p/stuck', { hang: true }).script('/p/ok', { duration: '10s' });
    fake.clock.setTimer(() => run.kill('/p/stuck'), 1_000);
    const result = await run.start();
    assert.deepEqual([run.status('/p/stuck').state, run.status('/p/stuck').reason], ['killed', 'killed by user']);
    assert.deepEqual([run.status('/p/ok').state, result.state], ['done', 'error']);
  });

  it('kill of a subtree kills its running and queued Execs', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b'), exec('c')], { maxConcurrent: 1 })));
    fake.scriptDefault({ hang: true });
    fake.clock.setTimer(() => run.kill('/p'), 1_000);
    await run.start();
    assert.deepEqual(fake.ran(), ['/p/a']);
    assert.deepEqual(['/p/a', '/p/b', '/p/c'].map((p) => run.status(p).state), ['killed', 'killed', 'killed']);
  });

  it('edit replaces an Exec\'s command and env for its next attempt', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('t', 'npm test', { env: { A: '1' } })])));
    fake.script('/ci/t', [{ exitCode: 1 }, {}]);
    await run.start();
    run.edit('/ci/t', { command: ['npm', 'test', '--', '--retry'], env: { A: '2' } });
    run.reset('/ci/t');
    await run.start();
    assert.deepEqual(fake.calls.map((c) => [c.command, c.env]), [['npm test', { A: '1' }], [['npm', 'test', '--', '--retry'], { A: '2' }]]);
    assert.deepEqual((run.ir.root as { children: Array<{ command: unknown }> }).children[0]!.command, ['npm', 'test', '--', '--retry']);
  });

  it('edit of a container and operations on unknown paths are clear errors', () => {
    const { run } = setup(pipeline(serial('ci', [exec('a')])));
    throwsCode(() => run.edit('/ci', { command: 'x' }), 'RUN_OPERATION', { path: '/ci', operation: 'edit' });
    throwsCode(() => run.status('/ci/nope'), 'NODE_NOT_FOUND', { path: '/ci/nope' });
    throwsCode(() => run.reset('/other'), 'NODE_NOT_FOUND', { path: '/other' });
  });

  it('the run works on its own copy of the IR', async () => {
    const ir = pipeline(serial('ci', [exec('a', 'old')]));
    const { run } = setup(ir);
    run.edit('/ci/a', { command: 'new' });
    assert.equal((ir.root as { children: Array<{ command: unknown }> }).children[0]!.command, 'old');
  });
});

describe('engine: runtime failures', () => {
  it('an acquire failure (image not found) fails that node with the error\'s message; the run goes on', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('a', 'x', { image: 'missing' }), exec('b')], { stopOnError: false })));
    fake.failImage('missing:latest');
    const result = await run.start();
    assert.equal(run.status('/ci/a').state, 'error');
    assert.equal(run.status('/ci/a').reason, new ImageNotFoundError('missing:latest', 'scripted by the fake runtime').message);
    assert.deepEqual([fake.ran(), result.failed], [['/ci/b'], ['/ci/a']]);
  });

  it('a run() failure fails the node with its message', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b')])));
    fake.script('/p/a', { fail: new Error('the Docker daemon went away') });
    await run.start();
    assert.deepEqual([run.status('/p/a').state, run.status('/p/a').reason], ['error', 'the Docker daemon went away']);
    assert.equal(run.status('/p/b').state, 'done');
  });

  it('an OOM kill reported by the runtime is killed with the runtime\'s message and the raise-mem hint', async () => {
    const { run, fake } = setup(pipeline(exec('hungry', 'x', { mem: 0.5 })));
    fake.script('/hungry', { oom: true });
    await run.start();
    assert.deepEqual([run.status('/hungry').state, run.status('/hungry').reason, run.status('/hungry').failure],
      ['killed', "out of memory (mem=0.5 GB); raise the node's mem option to give it more memory", 'oom']);
  });
});

describe('engine: runtime unavailable', () => {
  it('start() rejects with the runtime\'s error when open() fails, announcing the end (no session: nothing to close)', async () => {
    class DownRuntime extends FakeRuntimeProvider {
      override async open(): Promise<RuntimeSession> { throw new RuntimeUnavailableError('Docker is not running; start it (dockerd)'); }
    }
    const fake = new DownRuntime();
    const run = new Engine(fake, fake.clock).createRun(pipeline(exec('a')));
    const types: string[] = [];
    run.on((e) => types.push(e.type));
    await rejectsCode(run.start(), 'RUNTIME_UNAVAILABLE');
    assert.deepEqual([types, fake.calls.length, fake.closed.length, run.status('/a').state], [['run-started', 'run-finished'], 0, 0, 'pending']);
  });
});

describe('engine: restored statuses', () => {
  it('restores Exec statuses; queued/running become killed; containers are re-derived', async () => {
    const ir = pipeline(serial('ci', [exec('a'), exec('b'), exec('c')]));
    const { engine, fake } = setup(ir);
    const run = engine.createRun(ir, {
      initial: {
        '/ci': { state: 'running', skipped: false, attempt: 1 },
        '/ci/a': { state: 'done', skipped: false, attempt: 1, exitCode: 0 },
        '/ci/b': { state: 'running', skipped: false, attempt: 1 },
      },
    });
    assert.deepEqual([run.status('/ci/b').state, run.status('/ci').state], ['killed', 'error']);
    run.reset('/ci/b');
    await run.start();
    assert.deepEqual(fake.calls.map((c) => [c.path, c.attempt]), [['/ci/b', 2], ['/ci/c', 1]]);
  });
});
