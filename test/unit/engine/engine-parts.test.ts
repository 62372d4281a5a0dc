// The engine's small building blocks, through what callers see: the FIFO queue (long queues compact
// without losing order), the wall clock, the event hub's async iteration, and capacity messages.
import { strict as assert } from 'node:assert';
import os from 'node:os';
import { Engine, generateRunId, systemClock } from '../../../core/plugin-kit.ts';
import { Fifo } from '../../../core/engine/fifo.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { setup } from './support.ts';

describe('engine parts: Fifo', () => {
  it('is empty at first: size 0, peek and shift give undefined', () => {
    const q = new Fifo<number>();
    assert.equal(q.size, 0);
    assert.equal(q.peek(), undefined);
    assert.equal(q.shift(), undefined);
    q.push(1);
    assert.deepEqual([q.size, q.peek(), q.shift(), q.size, q.shift()], [1, 1, 1, 0, undefined]);
  });

  it('keeps arrival order and size across thousands of interleaved pushes and shifts', () => {
    const q = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    // Grow to ~3000, drain to a few, grow again: the queue compacts its dead prefix on the way.
    for (const [pushes, shifts] of [[3000, 2990], [500, 100], [2000, 2405], [10, 5]] as const) {
      for (let i = 0; i < pushes; i++) { q.push(next); model.push(next++); }
      for (let i = 0; i < shifts; i++) assert.equal(q.shift(), model.shift());
      assert.equal(q.size, model.length);
      assert.equal(q.peek(), model[0]);
    }
    while (model.length) assert.equal(q.shift(), model.shift());
    assert.equal(q.shift(), undefined);
  });
});

describe('engine parts: systemClock', () => {
  it('tells epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(now >= before && now <= Date.now());
  });

  it('fires a timer, which does not keep the process alive', async () => {
    let handle: unknown;
    await new Promise<void>((resolve) => { handle = systemClock.setTimer(resolve, 1); });
    assert.equal((handle as NodeJS.Timeout).hasRef(), false);
  });

  it('clamps a delay beyond what setTimeout takes instead of firing at once, and clears it', async () => {
    let fired = false;
    const handle = systemClock.setTimer(() => { fired = true; }, 2 ** 40);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fired, false);
    systemClock.clearTimer(handle);
  });

  it('a cleared timer never fires', async () => {
    let fired = false;
    systemClock.clearTimer(systemClock.setTimer(() => { fired = true; }, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fired, false);
  });
});

describe('engine parts: events() iteration', () => {
  it('stops yielding when the consumer breaks out, and later events are not buffered for it', async () => {
    const { run } = setup(pipeline(parallel('p', [exec('a'), exec('b')])));
    const seen: string[] = [];
    const consumer = (async () => {
      for await (const e of run.events()) { seen.push(e.type); if (e.type === 'state') break; }
    })();
    await run.start();
    await consumer;
    assert.deepEqual(seen, ['run-started', 'state']);
  });

  it('yields events that arrived before the consumer asked, in order, and ends after run-finished', async () => {
    const { run } = setup(pipeline(exec('a')));
    const iterator = run.events()[Symbol.asyncIterator]();
    await run.start();
    const types: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) types.push(r.value.type);
    assert.equal(types[0], 'run-started');
    assert.equal(types.at(-1), 'run-finished');
    assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  });

  it('an iteration covers one start(): events of the next start() are not in it', async () => {
    const { run } = setup(pipeline(exec('a')));
    const iterator = run.events()[Symbol.asyncIterator]();
    await run.start();
    run.reset('/a');
    await run.start();
    let finished = 0;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) if (r.value.type === 'run-finished') finished++;
    assert.equal(finished, 1);
  });

  it('after return(), the iterator is done and drops what it had buffered', async () => {
    const { run } = setup(pipeline(exec('a')));
    const iterator = run.events()[Symbol.asyncIterator]();
    await run.start();
    assert.deepEqual(await iterator.return!(), { value: undefined, done: true });
    assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  });

  it('a listener that throws does not stop the run or the other listeners; its error surfaces outside the engine', async () => {
    const { run } = setup(pipeline(serial('s', [exec('a'), exec('b')])));
    const boom = new Error('listener broke');
    run.on((e) => { if (e.type === 'state') throw boom; });
    let heard = 0;
    run.on(() => { heard++; });
    // Mocha treats an uncaught exception as a failure: take it over for the length of this run.
    const mochaHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const surfaced: unknown[] = [];
    process.on('uncaughtException', (err) => surfaced.push(err));
    try {
      const result = await run.start();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(result.state, 'done');
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const h of mochaHandlers) process.on('uncaughtException', h);
    }
    assert.ok(surfaced.length > 0 && surfaced.every((e) => e === boom));
    assert.ok(heard > surfaced.length);
  });

  it('every listener hears every event, and one unsubscribing while called does not skip the next', async () => {
    const { run } = setup(pipeline(exec('a')));
    const heard: string[] = [];
    const offFirst = run.on((e) => { heard.push(`1:${e.type}`); offFirst(); });
    run.on((e) => { heard.push(`2:${e.type}`); });
    await run.start();
    assert.equal(heard[0], '1:run-started');
    assert.equal(heard[1], '2:run-started');
    assert.equal(heard.filter((h) => h.startsWith('1:')).length, 1);
    assert.equal(heard.at(-1), '2:run-finished');
  });
});

describe('engine parts: capacity', () => {
  it('defaults to the host cores and memory: an Exec asking for more never fits, naming both numbers', async () => {
    const fake = new FakeRuntimeProvider();
    const engine = new Engine(fake, fake.clock);
    const cores = os.availableParallelism();
    const memGb = os.totalmem() / 1024 ** 3;
    const run = engine.createRun(pipeline(parallel('p', [
      exec('fits', 'true', { cpu: cores, mem: 0.5 }),
      exec('cpu', 'true', { cpu: cores + 1, mem: 0.5 }),
      exec('mem', 'true', { cpu: 1, mem: Math.ceil(memGb) + 1 }),
    ])));
    await run.start();
    assert.equal(run.status('/p/fits').state, 'done');
    assert.match(run.status('/p/cpu').reason!, new RegExp(`^needs cpu=${cores + 1} but the capacity is cpu=${cores}; lower cpu or raise the capacity \\(--cpu\\)`));
    assert.match(run.status('/p/mem').reason!, /^needs mem=\d+ GB but the capacity is mem=[\d.]+ GB; lower mem or raise the capacity \(--mem\)/);
  });

  it('compares in whole milli-CPUs and MB, and shows numbers rounded to 3 decimals', async () => {
    const { run } = setup(pipeline(parallel('p', [
      exec('exact', 'true', { cpu: 0.1 + 0.2, mem: 1 }),
      exec('rounded', 'true', { cpu: 0.3004, mem: 1.0004 }),
      exec('cpuover', 'true', { cpu: 0.30061, mem: 1 }),
      exec('memover', 'true', { cpu: 0.1, mem: 1.0009 }),
    ])), { cpu: 0.3, mem: 1 });
    await run.start();
    assert.equal(run.status('/p/exact').state, 'done');
    assert.equal(run.status('/p/rounded').state, 'done', '0.3004 cpu is 300 milli-CPUs and 1.0004 GB is 1024 MB: both fit');
    assert.equal(run.status('/p/cpuover').reason, 'needs cpu=0.301 but the capacity is cpu=0.3; lower cpu or raise the capacity (--cpu)');
    assert.equal(run.status('/p/memover').reason, 'needs mem=1.001 GB but the capacity is mem=1 GB; lower mem or raise the capacity (--mem)');
  });

  it('names cpu before mem when both are too big, and mem alone when only it is', async () => {
    const { run } = setup(pipeline(parallel('p', [
      exec('both', 'true', { cpu: 8, mem: 64 }),
      exec('mem', 'true', { cpu: 1, mem: 2.5 }),
    ])), { cpu: 2, mem: 2 });
    await run.start();
    assert.equal(run.status('/p/both').reason, 'needs cpu=8 but the capacity is cpu=2; lower cpu or raise the capacity (--cpu)');
    assert.equal(run.status('/p/mem').reason, 'needs mem=2.5 GB but the capacity is mem=2 GB; lower mem or raise the capacity (--mem)');
  });
});

describe('engine parts: run ids, copies and restored statuses', () => {
  it('a run id is the UTC date and time, zero-padded, then four hex digits', () => {
    assert.match(generateRunId(Date.UTC(2026, 0, 2, 3, 4, 5)), /^20260102-030405-[0-9a-f]{4}$/);
    assert.match(generateRunId(Date.UTC(2026, 11, 31, 23, 59, 58)), /^20261231-235958-[0-9a-f]{4}$/);
  });

  it('a run keeps its own copy of env, docker args, tags and secrets of every node', () => {
    const ir = pipeline(serial('s', [exec('a', ['echo', 'x'], { env: { A: '1' }, dockerRunArgs: ['--init'], tags: ['t'], secrets: { K: 'S' } })], { env: { B: '2' }, tags: ['u'] }));
    const snapshot = JSON.parse(JSON.stringify(ir));
    const { run } = setup(ir);
    const a = ir.root.kind === 'serial' ? ir.root.children[0]! : ir.root;
    a.env.A = 'changed';
    a.dockerRunArgs.push('--privileged');
    a.tags.push('extra');
    a.secrets!.K = 'OTHER';
    ir.root.env.B = 'changed';
    ir.root.tags.push('extra');
    (a as { command: string[] }).command.push('y');
    ir.images.img!.name = 'renamed';
    assert.deepEqual(JSON.parse(JSON.stringify(run.ir)), snapshot);
  });

  it('a restored queued or running Exec is killed as interrupted; other states are kept as they were', () => {
    const ir = pipeline(parallel('p', [exec('q'), exec('r'), exec('e')]));
    const fake = new FakeRuntimeProvider();
    const run = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 16 } }).createRun(ir, {
      initial: {
        '/p/q': { state: 'queued', skipped: false, attempt: 0 },
        '/p/r': { state: 'running', skipped: false, attempt: 2, startedAt: 5 },
        '/p/e': { state: 'error', skipped: false, attempt: 1, startedAt: 1, endedAt: 2, reason: 'exit code 3', exitCode: 3 },
      },
    });
    const interrupted = 'interrupted: the process running it ended';
    assert.deepEqual(run.status('/p/q'), { state: 'killed', skipped: false, attempt: 0, reason: interrupted });
    assert.deepEqual(run.status('/p/r'), { state: 'killed', skipped: false, attempt: 2, startedAt: 5, reason: interrupted });
    assert.deepEqual(run.status('/p/e'), { state: 'error', skipped: false, attempt: 1, startedAt: 1, endedAt: 2, reason: 'exit code 3', exitCode: 3 });
  });
});
