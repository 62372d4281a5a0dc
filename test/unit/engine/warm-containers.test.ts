// Warm containers: on a backend that asks for it (Docker), the engine creates the container of a
// Serial's next Exec while the current one runs, so create/start leaves the critical path. These tests
// pin what a user relies on: it happens, it never changes which Execs share a container, it respects
// the cpu/mem budget, and every warm container is removed whatever way the run ends.
import { strict as assert } from 'node:assert';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import type { ScriptSpec } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';

const warmFake = () => {
  const fake = new FakeRuntimeProvider();
  fake.warmContainers = true;
  return fake;
};

/**
 * A script that notes how many containers had run nothing yet when the node started: its own, plus the
 * one warmed for the next Exec (containers that ran a command are left out: their disposal may lag).
 */
const observe = (fake: FakeRuntimeProvider, seen: number[], extra: ScriptSpec = {}): ScriptSpec => () => {
  seen.push(fake.containers.filter((c) => !c.disposed && c.commands.length === 0).length);
  return typeof extra === 'function' || Array.isArray(extra) ? {} : extra;
};

describe('engine: warm containers', () => {
  it('the next fresh container of a Serial exists while the current Exec runs, and each Exec still gets its own', async () => {
    const fake = warmFake();
    const seen: number[] = [];
    const ir = pipeline(serial('s', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' }), exec('c', 'x', { reuse: 'new' })]));
    const { result } = await runFake(ir, { fake, scripts: { '/s/a': observe(fake, seen), '/s/b': observe(fake, seen), '/s/c': observe(fake, seen) } });
    assert.equal(result.state, 'done');
    // Two ahead: while a runs, b's and c's containers are there too; while b runs, c's; c is last.
    assert.deepEqual(seen, [3, 2, 1]);
    // (b's container is asked for as a starts, before a's own: the two are created together.)
    assert.deepEqual(fake.containers.map((k) => k.commands).sort(), [['/s/a'], ['/s/b'], ['/s/c']]);
    assert.ok(fake.containers.every((k) => k.disposed));
  });

  it('off on the fake by default: containers are made when Execs ask, in order', async () => {
    const fake = new FakeRuntimeProvider();
    const seen: number[] = [];
    const ir = pipeline(serial('s', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' })]));
    await runFake(ir, { fake, scripts: { '/s/a': observe(fake, seen) } });
    assert.deepEqual(seen, [1]);
  });

  it('nothing is warmed where the next Exec would reuse a container: a "new" Serial, or the global pool with the same key', async () => {
    for (const ir of [
      pipeline(serial('s', [exec('a'), exec('b')], { reuse: 'new' })),
      pipeline(serial('s', [exec('a'), exec('b')])),
    ]) {
      const fake = warmFake();
      const seen: number[] = [];
      await runFake(ir, { fake, scripts: { '/s/a': observe(fake, seen) } });
      assert.deepEqual(seen, [1]);
      assert.equal(fake.containers.length, 1);
    }
  });

  it('the global pool warms a container when the next Exec needs another key (another image)', async () => {
    const fake = warmFake();
    const seen: number[] = [];
    const ir = pipeline(serial('s', [exec('a'), exec('b', 'x', { image: 'other' })]));
    await runFake(ir, { fake, scripts: { '/s/a': observe(fake, seen) } });
    assert.deepEqual(seen, [2]);
    assert.deepEqual(fake.containers.map((k) => [k.spec.image, k.commands]).sort(), [['img:latest', ['/s/a']], ['other:latest', ['/s/b']]]);
  });

  it('looks through nested Serials, and not into a Parallel (its Execs start together)', async () => {
    const fake = warmFake();
    const seen: number[] = [];
    const ir = pipeline(serial('s', [
      exec('a', 'x', { reuse: 'new' }),
      serial('inner', [exec('b', 'x', { reuse: 'new' })]),
      parallel('p', [exec('c', 'x', { reuse: 'new' }), exec('d', 'x', { reuse: 'new' })]),
    ]));
    await runFake(ir, { fake, scripts: { '/s/a': observe(fake, seen), '/s/inner/b': observe(fake, seen) } });
    assert.deepEqual(seen, [2, 1]);
  });

  it('a warm container reserves its Exec\'s cpu and mem: with no room for both, nothing is warmed', async () => {
    const fake = warmFake();
    const seen: number[] = [];
    const ir = pipeline(serial('s', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' })]));
    await runFake(ir, { fake, capacity: { cpu: 1, mem: 4 }, scripts: { '/s/a': observe(fake, seen) } });
    assert.deepEqual(seen, [1]);
  });

  it('the reservation is given back when the Serial stops at a failure: a later Exec still gets the whole budget', async () => {
    const fake = warmFake();
    // s stops at a (stopOnError), so b never runs; z, after s, needs the whole budget (cpu 2).
    const ir = pipeline(serial('root', [
      serial('s', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' })], { stopOnError: true }),
      exec('z', 'x', { cpu: 2 }),
    ], { stopOnError: false }));
    const { status } = await runFake(ir, { fake, capacity: { cpu: 2, mem: 8 }, scripts: { '/root/s/a': { exitCode: 1, duration: '1s' } } });
    assert.equal(status('/root/s/a').state, 'error');
    assert.equal(status('/root/s/b').state, 'pending');
    assert.equal(status('/root/z').state, 'done');
    const warmedForB = fake.containers.filter((k) => k.commands.length === 0);
    assert.equal(warmedForB.length, 1, 'b\'s container was warmed while a ran');
    assert.ok(fake.containers.every((k) => k.disposed), 'and removed');
  });

  it('two ahead at most: a Serial of five has three unused containers while its first Exec runs', async () => {
    const fake = warmFake();
    const seen: number[] = [];
    const names = ['a', 'b', 'c', 'd', 'e'];
    const ir = pipeline(serial('s', names.map((n) => exec(n, 'x', { reuse: 'new' }))));
    await runFake(ir, { fake, capacity: { cpu: 8, mem: 64 }, scripts: Object.fromEntries(names.map((n) => [`/s/${n}`, observe(fake, seen)])) });
    assert.deepEqual(seen, [3, 3, 3, 2, 1]);
    assert.deepEqual(fake.containers.map((k) => k.commands).sort(), names.map((n) => [`/s/${n}`]));
  });

  it('the budget decides how far ahead: with room for two Execs, one is warmed', async () => {
    const fake = warmFake();
    const seen: number[] = [];
    const ir = pipeline(serial('s', ['a', 'b', 'c'].map((n) => exec(n, 'x', { reuse: 'new' }))));
    await runFake(ir, { fake, capacity: { cpu: 2, mem: 8 }, scripts: { '/s/a': observe(fake, seen) } });
    assert.deepEqual(seen, [2]);
  });

  it('a failure gives back both reservations made ahead of it: a later Exec gets the whole budget', async () => {
    const fake = warmFake();
    const ir = pipeline(serial('root', [
      serial('s', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' }), exec('c', 'x', { reuse: 'new' })], { stopOnError: true }),
      exec('z', 'x', { cpu: 3 }),
    ], { stopOnError: false }));
    const { status } = await runFake(ir, { fake, capacity: { cpu: 3, mem: 8 }, scripts: { '/root/s/a': { exitCode: 1, duration: '1s' } } });
    assert.equal(status('/root/s/c').state, 'pending');
    assert.equal(status('/root/z').state, 'done');
    assert.equal(fake.containers.filter((k) => k.commands.length === 0).length, 2, 'b\'s and c\'s containers were warmed while a ran');
    assert.ok(fake.containers.every((k) => k.disposed), 'and removed');
  });

  it('a cancelled run removes the warm container too', async () => {
    const fake = warmFake();
    const controller = new AbortController();
    const ir = pipeline(serial('s', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' })]));
    const scripts = { '/s/a': () => { setImmediate(() => controller.abort()); return { hang: true as const }; } };
    const { result } = await runFake(ir, { fake, signal: controller.signal, scripts });
    assert.notEqual(result.state, 'done');
    assert.equal(fake.containers.length, 2);
    assert.ok(fake.containers.every((k) => k.disposed));
  });

  it('a retried Exec warms again for each attempt and its follower runs in a fresh container once', async () => {
    const fake = warmFake();
    const ir = pipeline(serial('s', [exec('a', 'x', { reuse: 'new', retry: { attempts: 2 } }), exec('b', 'x', { reuse: 'new' })]));
    const { status } = await runFake(ir, { fake, scripts: { '/s/a': [{ exitCode: 1 }, {}] } });
    assert.equal(status('/s/b').state, 'done');
    assert.deepEqual(fake.containers.filter((k) => k.commands.includes('/s/b')).map((k) => k.commands), [['/s/b']]);
    assert.ok(fake.containers.every((k) => k.disposed));
  });
});
