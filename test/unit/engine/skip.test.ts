// Skipping (docs/conducto-semantics.md#states-and-skipping): skipped nodes and their subtrees are passed over and neither block
// nor fail their parent; skipping an errored child lets a stopped Serial continue on the next start().
import { strict as assert } from 'node:assert';
import type { StateEvent } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { setup } from './support.ts';

describe('engine: skip', () => {
  const cases = [
    {
      name: 'a skipped Exec is passed over and the Serial completes done',
      ir: () => pipeline(serial('ci', [exec('a'), exec('deploy-prod', 'x', { skip: true }), exec('c')])),
      ran: ['/ci/a', '/ci/c'], root: 'done',
      skipped: { '/ci/deploy-prod': true, '/ci/c': false },
    },
    {
      name: 'skipping a Serial skips its whole subtree',
      ir: () => pipeline(serial('ci', [serial('deploy', [exec('x'), parallel('y', [exec('z')])], { skip: true }), exec('after')])),
      ran: ['/ci/after'], root: 'done',
      skipped: { '/ci/deploy': true, '/ci/deploy/x': true, '/ci/deploy/y/z': true, '/ci/after': false },
    },
    {
      name: 'a skipped child that would fail does not fail its Parallel',
      ir: () => pipeline(parallel('p', [exec('bad', 'x', { skip: true }), exec('ok')])),
      ran: ['/p/ok'], root: 'done', skipped: { '/p/bad': true },
    },
    {
      name: 'a skipped root runs nothing',
      ir: () => pipeline(serial('ci', [exec('a')], { skip: true })),
      ran: [], root: 'pending', skipped: { '/ci': true, '/ci/a': true },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { fake, result, status } = await runFake(c.ir(), { scripts: { '/p/bad': { exitCode: 1 } } });
      assert.deepEqual(fake.ran(), c.ran);
      assert.equal(result.state, c.root);
      for (const [path, skipped] of Object.entries(c.skipped)) assert.equal(status(path).skipped, skipped, path);
    });
  }

  it('skipped nodes keep their state (the skipped twin) and are not reported as failed', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('a'), exec('b'), exec('c')])));
    fake.script('/ci/b', { exitCode: 1 });
    await run.start();
    run.skip('/ci/b');
    assert.deepEqual(run.status('/ci/b'), { ...run.status('/ci/b'), state: 'error', skipped: true });
    assert.equal(run.status('/ci').state, 'pending');
  });

  it('skipping an errored child lets the stopped Serial continue on the next start()', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('a'), exec('flaky'), exec('c')])));
    fake.script('/ci/flaky', { exitCode: 1 });
    const first = await run.start();
    assert.deepEqual([first.state, run.status('/ci/c').state], ['error', 'pending']);
    run.skip('/ci/flaky');
    const second = await run.start();
    assert.deepEqual(fake.ran(), ['/ci/a', '/ci/flaky', '/ci/c']);
    assert.deepEqual([second.state, second.failed], ['done', []]);
  });

  it('unskip clears the flag on the node and its subtree; the next start() runs it', async () => {
    const { run, fake } = setup(pipeline(serial('ci', [exec('a'), serial('deploy', [exec('prod', 'x', { skip: true })], { skip: true })])));
    await run.start();
    assert.deepEqual(fake.ran(), ['/ci/a']);
    run.unskip('/ci/deploy');
    assert.equal(run.status('/ci/deploy/prod').skipped, false);
    await run.start();
    assert.deepEqual(fake.ran(), ['/ci/a', '/ci/deploy/prod']);
  });

  it('skip emits a state event with skipped=true for the node and every node under it', async () => {
    const { run, events } = setup(pipeline(serial('ci', [serial('s', [exec('x'), exec('y')])])));
    run.skip('/ci/s');
    const skipEvents = events.filter((e): e is StateEvent => e.type === 'state' && e.skipped);
    assert.deepEqual(skipEvents.map((e) => [e.path, e.state, e.previous]), [
      ['/ci/s', 'pending', 'pending'], ['/ci/s/x', 'pending', 'pending'], ['/ci/s/y', 'pending', 'pending'],
    ]);
  });
});
