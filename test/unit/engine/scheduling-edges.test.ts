// Scheduling and node-tree edges a user can see: what statuses and events say at each moment, how
// skip, kill, reset, cancel and edit act on the nodes they name and on nothing else, and the order in
// which waiting Execs are let in.
import { strict as assert } from 'node:assert';
import { Engine } from '../../../core/index.ts';
import type { RunContext, RunEvent, StateEvent } from '../../../core/index.ts';
import { FakeRuntimeProvider, VIRTUAL_EPOCH } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { maxOverlap, setup } from './support.ts';

const stateEvents = (events: RunEvent[]) => events.filter((e): e is StateEvent => e.type === 'state');

describe('engine edges: statuses and events', () => {
  it('a container status is its last announced state, at every event', async () => {
    const ir = pipeline(serial('s', [parallel('p', [exec('a'), serial('t', [exec('b')])]), exec('c')]));
    const { run } = setup(ir);
    const announced = new Map<string, string>();
    const paths = ['/s', '/s/p', '/s/p/t'];
    const mismatches: string[] = [];
    run.on((e) => {
      if (e.type !== 'state') return;
      if (paths.includes(e.path)) announced.set(e.path, e.state);
      for (const p of paths) {
        const shown = run.status(p).state;
        if (shown !== (announced.get(p) ?? 'pending')) mismatches.push(`${e.path}=${e.state}: ${p} shows ${shown}`);
      }
    });
    await run.start();
    assert.deepEqual(mismatches, []);
  });

  it('a state event carries only the fields that are set', async () => {
    const { run, events, fake } = setup(pipeline(serial('s', [exec('a'), exec('b')])));
    fake.script('/s/b', { exitCode: 2 });
    await run.start();
    const [first] = stateEvents(events);
    assert.deepEqual(first, { type: 'state', at: VIRTUAL_EPOCH, path: '/s/a', state: 'queued', previous: 'pending', skipped: false, attempt: 0 });
    const failed = stateEvents(events).find((e) => e.path === '/s/b' && e.state === 'error')!;
    assert.deepEqual(failed, { type: 'state', at: VIRTUAL_EPOCH, path: '/s/b', state: 'error', previous: 'running', skipped: false, attempt: 1, reason: 'exit code 2', exitCode: 2, failure: 'exit' });
  });

  it('a status has only the fields that are set: no times before a run, no end while running', async () => {
    const { run, fake } = setup(pipeline(serial('s', [exec('a'), exec('b')])));
    assert.deepEqual(run.status('/s/a'), { state: 'pending', skipped: false, attempt: 0 });
    assert.deepEqual(run.status('/s'), { state: 'pending', skipped: false, attempt: 0 });
    fake.script('/s/a', { duration: '5s' });
    const whileRunning: Record<string, unknown> = {};
    run.on((e) => {
      if (e.type === 'state' && e.state === 'running' && !(e.path in whileRunning)) whileRunning[e.path] = run.status(e.path);
    });
    await run.start();
    assert.deepEqual(whileRunning['/s/a'], { state: 'running', skipped: false, attempt: 1, startedAt: VIRTUAL_EPOCH });
    assert.deepEqual(whileRunning['/s'], { state: 'running', skipped: false, attempt: 1, startedAt: VIRTUAL_EPOCH });
    assert.deepEqual(run.status('/s'), { state: 'done', skipped: false, attempt: 1, startedAt: VIRTUAL_EPOCH, endedAt: VIRTUAL_EPOCH + 5000 });
  });

  it('announces container changes of one step deepest first', async () => {
    const ir = pipeline(parallel('r', [exec('b'), serial('s', [parallel('q', [exec('a')])])]));
    const { run, events } = setup(ir);
    await run.start();
    const running = stateEvents(events).filter((e) => ['/r', '/r/s', '/r/s/q'].includes(e.path) && e.state === 'running').map((e) => e.path);
    assert.deepEqual(running, ['/r/s/q', '/r/s', '/r']);
  });

  it('a container waiting only on queued Execs shows queued, and its attempt starts then', async () => {
    const ir = pipeline(parallel('p', [exec('big', 'true', { cpu: 2 }), serial('s', [exec('e', 'true', { cpu: 2 })])]));
    const { run, fake, states } = setup(ir, { cpu: 2, mem: 100 });
    fake.script('/p/big', { duration: '10s' });
    await run.start();
    assert.deepEqual(states('/p/s'), ['queued', 'running', 'done']);
    assert.equal(run.status('/p/s').startedAt, VIRTUAL_EPOCH);
    assert.equal(run.status('/p/s/e').startedAt, VIRTUAL_EPOCH + 10_000);
  });

  it('reset clears the times of the node and its container; the container keeps its attempt count', async () => {
    const { run } = setup(pipeline(serial('s', [exec('a')])));
    await run.start();
    run.reset('/s');
    assert.deepEqual(run.status('/s/a'), { state: 'pending', skipped: false, attempt: 1 });
    assert.deepEqual(run.status('/s'), { state: 'pending', skipped: false, attempt: 1 });
    await run.start();
    assert.equal(run.status('/s').attempt, 2);
  });

  it('reset emits nothing for nodes that are already pending', async () => {
    const { run, events, fake } = setup(pipeline(serial('s', [exec('a'), exec('b')])));
    fake.script('/s/a', { exitCode: 1 });
    await run.start();
    const before = events.length;
    run.reset('/s');
    assert.deepEqual(stateEvents(events.slice(before)).map((e) => e.path).sort(), ['/s', '/s/a']);
  });

  it('a Parallel left with a pending child after a cancel is pending, not error', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b'), exec('c')], { maxConcurrent: 2 })));
    fake.script('/p/a', { exitCode: 1 }).script('/p/b', { hang: true }).script('/p/c', { hang: true });
    const controller = new AbortController();
    fake.clock.setTimer(() => controller.abort(), 1_000);
    await run.start({ signal: controller.signal });
    assert.deepEqual(['/p/a', '/p/b', '/p/c'].map((p) => run.status(p).state), ['error', 'killed', 'killed']);
    const fresh = setup(pipeline(parallel('p', [exec('a'), exec('b'), exec('c')], { maxConcurrent: 1 })));
    fresh.fake.script('/p/a', { exitCode: 1 }).script('/p/b', { hang: true });
    const c2 = new AbortController();
    fresh.fake.clock.setTimer(() => c2.abort(), 1_000);
    await fresh.run.start({ signal: c2.signal });
    assert.deepEqual(['/p/a', '/p/b', '/p/c'].map((p) => fresh.run.status(p).state), ['error', 'killed', 'pending']);
    assert.equal(fresh.run.status('/p').state, 'pending');
  });

  it('restores a skip flag on the node that had it, not on the nodes it covered', async () => {
    const fake = new FakeRuntimeProvider();
    const engine = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 16 } });
    const ir = pipeline(serial('s', [serial('t', [exec('a')]), exec('b')]));
    const run = engine.createRun(ir, {
      initial: {
        '/s/t': { state: 'pending', skipped: true, attempt: 0 },
        '/s/t/a': { state: 'pending', skipped: true, attempt: 0 },
      },
    });
    assert.equal(run.status('/s/t').skipped, true);
    assert.equal(run.status('/s/t/a').skipped, true);
    run.unskip('/s/t');
    assert.equal(run.status('/s/t/a').skipped, false);
    const other = engine.createRun(ir, { initial: { '/s/t/a': { state: 'pending', skipped: true, attempt: 0 } } });
    await other.start();
    assert.deepEqual(fake.ran(), ['/s/b']);
  });
});

describe('engine edges: skip', () => {
  it('statuses() marks everything under a skipped node as skipped', () => {
    const { run } = setup(pipeline(serial('s', [serial('t', [exec('a')]), exec('b')])));
    run.skip('/s/t');
    const all = run.statuses();
    assert.deepEqual(Object.fromEntries(Object.entries(all).map(([p, s]) => [p, s.skipped])), { '/s': false, '/s/t': true, '/s/t/a': true, '/s/b': false });
  });

  it('a skipped Exec in the middle of a Serial is passed over', async () => {
    const { run, fake } = setup(pipeline(serial('s', [exec('a'), exec('b'), exec('c')])));
    run.skip('/s/b');
    const result = await run.start();
    assert.deepEqual([fake.ran(), result.state], [['/s/a', '/s/c'], 'done']);
  });

  it('a skipped child neither blocks nor fails a Parallel', async () => {
    const { run } = setup(pipeline(parallel('p', [exec('a'), exec('b')])));
    run.skip('/p/b');
    assert.equal((await run.start()).state, 'done');
  });

  it('skipping twice, or under a skipped ancestor, announces nothing new; an own flag stays covered', () => {
    const { run, events } = setup(pipeline(serial('s', [serial('t', [exec('a'), exec('b')]), exec('c')])));
    run.skip('/s/t/a');
    let mark = events.length;
    run.skip('/s/t/a');
    assert.equal(events.length, mark, 'second skip of the same node');
    run.skip('/s/t');
    assert.deepEqual(stateEvents(events.slice(mark)).map((e) => e.path), ['/s/t', '/s/t/b'], 'a is already skipped by its own flag');
    mark = events.length;
    run.skip('/s/t/b');
    assert.deepEqual(stateEvents(events.slice(mark)).filter((e) => e.path === '/s/t/b'), [], 'b is covered by t');
  });

  it('skip then unskip before a start leaves the counts whole', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b')])));
    run.skip('/p/b');
    run.unskip('/p/b');
    const result = await run.start();
    assert.deepEqual([result.state, fake.ran().sort()], ['done', ['/p/a', '/p/b']]);
  });

  it('an Exec skipped while it runs finishes without failing or holding up its parent', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b')])));
    fake.script('/p/a', { duration: '10s', exitCode: 1 }).script('/p/b', { duration: '1s' });
    fake.clock.setTimer(() => run.skip('/p/a'), 5_000);
    const result = await run.start();
    assert.deepEqual([result.state, result.failed, run.status('/p').state], ['done', [], 'done']);
  });

  it('skipping a later child while an earlier one runs does not hide the earlier one\'s failure', async () => {
    const { run, fake } = setup(pipeline(serial('s', [exec('a'), exec('b')])));
    fake.script('/s/a', { duration: '10s', exitCode: 1 });
    fake.clock.setTimer(() => run.skip('/s/b'), 5_000);
    const result = await run.start();
    assert.deepEqual([result.state, run.status('/s').state], ['error', 'error']);
  });

  it('a Serial skipped while its first child runs starts nothing more', async () => {
    const { run, fake } = setup(pipeline(serial('r', [serial('s', [exec('a'), exec('b')]), exec('c')])));
    fake.script('/r/s/a', { duration: '10s' });
    fake.clock.setTimer(() => run.skip('/r/s'), 5_000);
    await run.start();
    assert.deepEqual(fake.ran(), ['/r/s/a', '/r/c']);
  });
});

describe('engine edges: kill, reset, cancel, edit', () => {
  it('kill of a subtree leaves Execs outside it alone, even with a path that starts the same', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [serial('s', [exec('a')]), serial('s2', [exec('b')])])));
    fake.script('/p/s/a', { hang: true }).script('/p/s2/b', { duration: '10s' });
    fake.clock.setTimer(() => run.kill('/p/s'), 1_000);
    await run.start();
    assert.deepEqual([run.status('/p/s/a').state, run.status('/p/s2/b').state], ['killed', 'done']);
  });

  it('a queued Exec that is killed says "killed by user"', async () => {
    const { run, fake } = setup(pipeline(parallel('p', [exec('a'), exec('b')], { maxConcurrent: 1 })));
    fake.script('/p/a', { duration: '10s' });
    fake.clock.setTimer(() => run.kill('/p/b'), 1_000);
    await run.start();
    assert.deepEqual(run.status('/p/b'), { state: 'killed', skipped: false, attempt: 0, reason: 'killed by user', endedAt: VIRTUAL_EPOCH + 1_000 });
  });

  it('reset during a start reruns a finished Exec at once, beside one still running', async () => {
    const { run, fake } = setup(pipeline(serial('r', [parallel('p', [exec('a'), exec('b')])])));
    fake.script('/r/p/a', { duration: '30s' }).script('/r/p/b', { duration: '1s' });
    fake.clock.setTimer(() => run.reset('/r/p/b'), 5_000);
    await run.start();
    const b = fake.callsOf('/r/p/b');
    assert.deepEqual(b.map((c) => c.start - VIRTUAL_EPOCH), [0, 5_000]);
  });

  it('reset of a running Exec under a Serial reruns it at once', async () => {
    const { run, fake } = setup(pipeline(serial('r', [parallel('p', [exec('a'), exec('b')])])));
    fake.script('/r/p/a', { duration: '30s' }).script('/r/p/b', [{ hang: true }, { duration: '1s' }]);
    fake.clock.setTimer(() => run.reset('/r/p/b'), 5_000);
    await run.start();
    assert.deepEqual(fake.callsOf('/r/p/b').map((c) => c.start - VIRTUAL_EPOCH), [0, 5_000]);
  });

  it('cancel starts nothing more, even in a Serial that does not stop on errors', async () => {
    const { run, fake } = setup(pipeline(serial('s', [exec('a'), exec('b')], { stopOnError: false })));
    fake.script('/s/a', { hang: true });
    const controller = new AbortController();
    fake.clock.setTimer(() => controller.abort(), 1_000);
    await run.start({ signal: controller.signal });
    assert.deepEqual([fake.ran(), run.status('/s/b').state], [['/s/a'], 'pending']);
  });

  it('a signal used by an earlier start() does not cancel a later one', async () => {
    const { run, fake } = setup(pipeline(exec('a')));
    const controller = new AbortController();
    await run.start({ signal: controller.signal });
    run.reset('/a');
    fake.script('/a', { duration: '10s' });
    fake.clock.setTimer(() => controller.abort(), 1_000);
    const result = await run.start();
    assert.deepEqual([result.state, run.status('/a').attempt], ['done', 2]);
  });

  it('edit of the command alone keeps the env, and of the env alone keeps the command', async () => {
    const { run, fake } = setup(pipeline(serial('s', [exec('a', 'one', { env: { A: '1' } })])));
    await run.start();
    run.edit('/s/a', { command: 'two' });
    run.reset('/s/a');
    await run.start();
    run.edit('/s/a', { env: { B: '2' } });
    run.reset('/s/a');
    await run.start();
    assert.deepEqual(fake.callsOf('/s/a').map((c) => [c.command, c.env]), [['one', { A: '1' }], ['two', { A: '1' }], ['two', { B: '2' }]]);
  });

  it('start() rejects with the runtime\'s close() error, after announcing the end', async () => {
    class ClosingFails extends FakeRuntimeProvider {
      override async close(ctx: RunContext): Promise<void> { await super.close(ctx); throw new Error('close failed'); }
    }
    const fake = new ClosingFails();
    const run = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 16 } }).createRun(pipeline(exec('a')));
    const types: string[] = [];
    run.on((e) => types.push(e.type));
    await assert.rejects(run.start(), /close failed/);
    assert.equal(types.at(-1), 'run-finished');
  });
});

describe('engine edges: admission order', () => {
  it('"new" groups side by side run at the same time', async () => {
    const ir = pipeline(parallel('p', [serial('g1', [exec('a')], { reuse: 'new' }), serial('g2', [exec('b')], { reuse: 'new' })]));
    const { run, fake } = setup(ir);
    fake.scriptDefault({ duration: '10s' });
    await run.start();
    assert.equal(maxOverlap(fake.calls), 2);
  });

  it('the budget lets waiting Execs in by arrival, across reservation sizes', async () => {
    const ir = pipeline(parallel('p', [exec('first', 'true', { cpu: 4 }), exec('b', 'true', { cpu: 1 }), exec('c', 'true', { cpu: 2 }), exec('d', 'true', { cpu: 1 })]));
    const { run, fake } = setup(ir, { cpu: 4, mem: 100 });
    fake.script('/p/first', { duration: '10s' });
    await run.start();
    assert.deepEqual(fake.ran(), ['/p/first', '/p/b', '/p/c', '/p/d']);
  });

  it('a Serial that stops on errors does not start the child after one that can never fit', async () => {
    const { run, fake } = setup(pipeline(serial('s', [exec('huge', 'true', { cpu: 100 }), exec('b')])), { cpu: 2, mem: 100 });
    await run.start();
    assert.deepEqual([run.status('/s/huge').state, fake.ran()], ['error', []]);
  });

  it('a run whose image in the IR has a shell passes that shell to the runtime', async () => {
    const ir = pipeline(exec('a'));
    ir.images.img = { kind: 'ref', name: 'img', ref: 'img:latest', shell: '/bin/bash' } as never;
    const { run, fake } = setup(ir);
    await run.start();
    assert.equal(fake.calls[0]!.shell, '/bin/bash');
  });

  it('without a secret source, a missing secret says to export it in the runner\'s environment', async () => {
    const name = 'CAISSON_MUTATION_TEST_UNSET_SECRET';
    delete process.env[name];
    const { run } = setup(pipeline(exec('a', 'true', { secrets: { TOKEN: name } })));
    await run.start();
    assert.match(run.status('/a').reason ?? '', new RegExp(`export ${name}=… in the runner's environment`));
  });
});
