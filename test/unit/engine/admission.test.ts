// Admission: maxConcurrent (incl. nested), the cpu/mem budget, and reservations that can never fit.
import { strict as assert } from 'node:assert';
import os from 'node:os';
import { Engine } from '../../../core/index.ts';
import type { EngineOptions, PipelineIR } from '../../../core/index.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import type { FakeCall } from '../../../plugins/runtime-fake/index.ts';
import { exec, execs, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { maxOverlap } from './support.ts';

interface Case {
  name: string;
  ir: () => PipelineIR;
  capacity?: EngineOptions['capacity'];
  /** Most commands running at once: overall, and within named subtrees. */
  overlap: number;
  within?: Record<string, number>;
  /** Virtual ms from the first start to the last end (each Exec takes 10 s). */
  span: number;
}

const cases: Case[] = [
  { name: 'maxConcurrent on a Parallel caps its running Execs', ir: () => pipeline(parallel('p', execs(6), { maxConcurrent: 2 })), overlap: 2, span: 30_000 },
  {
    name: 'maxConcurrent caps descendant Execs across nested Parallels',
    ir: () => pipeline(parallel('p', [parallel('a', execs(4)), parallel('b', execs(4))], { maxConcurrent: 3 })),
    overlap: 3, span: 30_000,
  },
  {
    name: 'an inner maxConcurrent holds inside an outer one',
    ir: () => pipeline(parallel('p', [parallel('a', execs(4), { maxConcurrent: 1 }), parallel('b', execs(4))], { maxConcurrent: 3 })),
    overlap: 3, within: { '/p/a/': 1 }, span: 40_000,
  },
  {
    name: 'maxConcurrent on a Serial applies to the Parallels under it',
    ir: () => pipeline(serial('s', [parallel('p', execs(5))], { maxConcurrent: 2 })),
    overlap: 2, span: 30_000,
  },
  {
    name: 'the cpu budget: each Exec reserves its cpu while running',
    ir: () => pipeline(parallel('p', execs(6, 'e', { cpu: 2 }))), capacity: { cpu: 4, mem: 100 }, overlap: 2, span: 30_000,
  },
  {
    name: 'the mem budget: each Exec reserves its mem while running',
    ir: () => pipeline(parallel('p', execs(6, 'e', { mem: 2 }))), capacity: { cpu: 100, mem: 5 }, overlap: 2, span: 30_000,
  },
  {
    name: 'fractional cpu reservations add up exactly',
    ir: () => pipeline(parallel('p', execs(8, 'e', { cpu: 0.25 }))), capacity: { cpu: 1, mem: 100 }, overlap: 4, span: 20_000,
  },
  {
    name: 'a large Exec waiting does not stop smaller ones that fit from running',
    ir: () => pipeline(parallel('p', [exec('small0', 'x', { cpu: 1 }), exec('big', 'x', { cpu: 4 }), exec('small1', 'x', { cpu: 1 })])),
    capacity: { cpu: 4, mem: 100 }, overlap: 2, span: 20_000,
  },
];

const within = (calls: FakeCall[], prefix: string) => maxOverlap(calls.filter((c) => c.path.startsWith(prefix)));

describe('engine: admission (maxConcurrent, cpu/mem budget)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { fake, result } = await runFake(c.ir(), { defaultScript: { duration: '10s' }, capacity: c.capacity });
      assert.equal(result.state, 'done');
      assert.equal(maxOverlap(fake.calls), c.overlap);
      for (const [prefix, n] of Object.entries(c.within ?? {})) assert.equal(within(fake.calls, prefix), n, `within ${prefix}`);
      const span = Math.max(...fake.calls.map((x) => x.end!)) - Math.min(...fake.calls.map((x) => x.start));
      assert.equal(span, c.span);
    });
  }

  it('an Exec waiting for a slot is queued, then running', async () => {
    const { events } = await runFake(pipeline(parallel('p', execs(2), { maxConcurrent: 1 })), { defaultScript: { duration: '1s' } });
    const e1 = events.filter((e) => e.type === 'state' && e.path === '/p/e1').map((e) => e.type === 'state' && [e.state, e.at - events[0]!.at]);
    assert.deepEqual(e1, [['queued', 0], ['running', 1000], ['done', 2000]]);
  });

  it('a reservation that can never fit fails at once with a clear reason; the rest runs', async () => {
    const ir = pipeline(parallel('p', [exec('huge', 'x', { cpu: 8 }), exec('fat', 'x', { mem: 64 }), exec('ok')]));
    const { fake, status, result } = await runFake(ir, { capacity: { cpu: 2, mem: 16 } });
    assert.deepEqual(fake.ran(), ['/p/ok']);
    assert.equal(status('/p/huge').state, 'error');
    assert.equal(status('/p/huge').reason, 'needs cpu=8 but the capacity is cpu=2; lower cpu or raise the capacity (--cpu)');
    assert.equal(status('/p/fat').reason, 'needs mem=64 GB but the capacity is mem=16 GB; lower mem or raise the capacity (--mem)');
    assert.deepEqual(result.failed, ['/p/huge', '/p/fat']);
  });

  it('10,000 queued Execs behind maxConcurrent 1 all run, in order', async () => {
    const { fake, result } = await runFake(pipeline(parallel('p', execs(10_000), { maxConcurrent: 1 })));
    assert.equal(result.state, 'done');
    assert.equal(fake.calls.length, 10_000);
    assert.deepEqual(fake.ran().slice(0, 3), ['/p/e0', '/p/e1', '/p/e2']);
    assert.equal(fake.ran()[9_999], '/p/e9999');
  });
});

describe('engine: capacity', () => {
  it('defaults to the host\'s cores and memory', () => {
    const engine = new Engine(new FakeRuntimeProvider());
    assert.deepEqual(engine.capacity, { cpu: os.availableParallelism(), mem: os.totalmem() / 1024 ** 3 });
  });

  it('runs on one engine share its budget', async () => {
    const fake = new FakeRuntimeProvider().scriptDefault({ duration: '10s' });
    const engine = new Engine(fake, fake.clock, { capacity: { cpu: 1, mem: 100 } });
    const ir = pipeline(parallel('p', execs(2)));
    await Promise.all([engine.createRun(ir).start(), engine.createRun(ir).start()]);
    assert.equal(maxOverlap(fake.calls), 1);
  });

  it('a "new" group under a maxConcurrent Parallel shares the cap and still runs one at a time', async () => {
    const ir = pipeline(parallel('p', [parallel('g', execs(3, 'g'), { reuse: 'new' }), ...execs(3)], { maxConcurrent: 2 }));
    const { fake, result } = await runFake(ir, { defaultScript: { duration: '10s' } });
    assert.equal(result.state, 'done');
    assert.equal(maxOverlap(fake.calls), 2);
    assert.equal(within(fake.calls, '/p/g/'), 1);
  });
});
