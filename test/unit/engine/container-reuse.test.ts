// Container reuse (docs/conducto-semantics.md#container-reuse) as the engine implements it for every runtime.
import { strict as assert } from 'node:assert';
import { reuseKey, staticSecrets, type PipelineIR } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import type { ScriptSpec } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { maxOverlap } from './support.ts';

interface Case {
  name: string;
  ir: () => PipelineIR;
  scripts?: Record<string, ScriptSpec>;
  /** Paths that ran in the same container, one list per container, in creation order. */
  containers: string[][];
  groups?: string[];
}

const tenSeconds = { duration: '10s' };

const cases: Case[] = [
  {
    name: 'global: an idle container with the same key is reused',
    ir: () => pipeline(serial('ci', [exec('a'), exec('b'), exec('c')])),
    containers: [['/ci/a', '/ci/b', '/ci/c']],
  },
  {
    name: 'global: env is not part of the key',
    ir: () => pipeline(serial('ci', [exec('a', 'x', { env: { A: '1' } }), exec('b', 'x', { env: { A: '2' } })])),
    containers: [['/ci/a', '/ci/b']],
  },
  {
    name: 'global: a different image, cpu, mem, gpu, requiresDocker or dockerRunArgs gets its own container',
    ir: () => pipeline(serial('ci', [
      exec('a'), exec('img', 'x', { image: 'other' }), exec('cpu', 'x', { cpu: 2 }), exec('mem', 'x', { mem: 4 }),
      exec('gpu', 'x', { gpu: 1 }), exec('docker', 'x', { requiresDocker: true }), exec('args', 'x', { dockerRunArgs: ['--init'] }), exec('z'),
    ])),
    containers: [['/ci/a', '/ci/z'], ['/ci/img'], ['/ci/cpu'], ['/ci/mem'], ['/ci/gpu'], ['/ci/docker'], ['/ci/args']],
  },
  {
    name: 'global: never waits for a busy container; a new one is acquired',
    ir: () => pipeline(serial('ci', [parallel('p', [exec('a'), exec('b')]), exec('c')])),
    scripts: { '/ci/p/a': tenSeconds, '/ci/p/b': { duration: '5s' } },
    containers: [['/ci/p/a', '/ci/c'], ['/ci/p/b']],
  },
  {
    name: '"new" on a Serial: its Execs share one dedicated container; others do not land in it',
    ir: () => pipeline(serial('ci', [exec('before'), serial('build', [exec('compile'), exec('test')], { reuse: 'new' }), exec('after')])),
    containers: [['/ci/before', '/ci/after'], ['/ci/build/compile', '/ci/build/test']],
    groups: ['global', '/ci/build'],
  },
  {
    name: '"new" on each Exec: every Exec gets a fresh container',
    ir: () => pipeline(serial('ci', [exec('a', 'x', { reuse: 'new' }), exec('b', 'x', { reuse: 'new' })])),
    containers: [['/ci/a'], ['/ci/b']],
    groups: ['/ci/a', '/ci/b'],
  },
  {
    name: '"global" escapes an enclosing "new" group',
    ir: () => pipeline(serial('ci', [serial('g', [exec('a'), serial('out', [exec('b')], { reuse: 'global' }), exec('c')], { reuse: 'new' })])),
    containers: [['/ci/g/a', '/ci/g/c'], ['/ci/g/out/b']],
    groups: ['/ci/g', 'global'],
  },
  {
    name: 'a "new" group gets one container per distinct key within it',
    ir: () => pipeline(serial('g', [exec('a'), exec('big', 'x', { cpu: 2 }), exec('b')], { reuse: 'new' })),
    containers: [['/g/a', '/g/b'], ['/g/big']],
  },
];

describe('engine: container reuse', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { fake, result } = await runFake(c.ir(), { scripts: c.scripts });
      assert.equal(result.state, 'done');
      assert.deepEqual(fake.containers.map((k) => k.commands), c.containers);
      if (c.groups) assert.deepEqual(fake.containers.map((k) => k.spec.group), c.groups);
    });
    // Docker creates a Serial's next container early; which Execs share one must not change (only the
    // order in which containers are created may).
    it(`${c.name} (containers warmed ahead of need, as on Docker)`, async () => {
      const fake = new FakeRuntimeProvider();
      fake.warmContainers = true;
      const { result } = await runFake(c.ir(), { scripts: c.scripts, fake });
      assert.equal(result.state, 'done');
      const used = fake.containers.filter((k) => k.commands.length > 0);
      const byFirst = (a: { commands: string[] }, b: { commands: string[] }) => a.commands[0]!.localeCompare(b.commands[0]!);
      assert.deepEqual([...used].sort(byFirst).map((k) => k.commands), [...c.containers].map((commands) => ({ commands })).sort(byFirst).map((k) => k.commands));
      assert.ok(fake.containers.every((k) => k.disposed), 'every container, warmed ones included, is removed at the end');
    });
  }

  it('secrets: a container only ever runs Execs given exactly the same secrets (none is a set too)', async () => {
    // A value left in /tmp, or a leftover process reading /proc, must not reach a node not given that secret.
    const tok = { TOKEN: 'API_TOKEN' };
    const ir = pipeline(serial('ci', [
      exec('plain'), exec('deploy', 'x', { secrets: tok }), exec('plain2'), exec('deploy2', 'x', { secrets: { OTHER_NAME: 'API_TOKEN' } }),
      exec('more', 'x', { secrets: { ...tok, KEY: 'SSH_KEY' } }), exec('deploy3', 'x', { secrets: tok }),
    ]));
    const { fake, result } = await runFake(ir, { secrets: staticSecrets({ API_TOKEN: 'tok-123', SSH_KEY: 'key-456' }) });
    assert.equal(result.state, 'done');
    // The env var a secret lands in does not matter, only which secrets: deploy2 may reuse deploy's container.
    assert.deepEqual(fake.containers.map((k) => k.commands), [['/ci/plain', '/ci/plain2'], ['/ci/deploy', '/ci/deploy2', '/ci/deploy3'], ['/ci/more']]);
  });

  it('secrets: a "new" group gets one container per distinct set of secrets within it', async () => {
    const ir = pipeline(serial('g', [exec('build'), exec('push', 'x', { secrets: { TOKEN: 'API_TOKEN' } }), exec('test')], { reuse: 'new' }));
    const { fake } = await runFake(ir, { secrets: staticSecrets({ API_TOKEN: 'tok-123' }) });
    assert.deepEqual(fake.containers.map((k) => k.commands), [['/g/build', '/g/test'], ['/g/push']]);
  });

  it('reuseKey: the same spec with other secret names is another key; their order and repeats do not matter', () => {
    const spec = { image: 'img:latest', cpu: 1, mem: 2, gpu: 0, backend: {}, mounts: [], group: 'global', labels: {} };
    assert.equal(reuseKey(spec, ['B', 'A']), reuseKey(spec, ['A', 'B', 'A']));
    assert.notEqual(reuseKey(spec, ['A']), reuseKey(spec, []));
    assert.notEqual(reuseKey(spec, ['A']), reuseKey(spec, ['A', 'B']));
    assert.equal(reuseKey(spec), reuseKey(spec, []));
  });

  it('a Parallel under "new" runs its Execs one at a time, in one container', async () => {
    const ir = pipeline(parallel('p', [exec('a'), exec('b'), exec('c')], { reuse: 'new' }));
    const { fake } = await runFake(ir, { defaultScript: tenSeconds });
    assert.equal(maxOverlap(fake.calls), 1);
    assert.deepEqual(fake.containers.map((k) => k.commands), [['/p/a', '/p/b', '/p/c']]);
  });

  it('other Execs keep running in parallel beside a "new" group', async () => {
    const ir = pipeline(parallel('p', [parallel('g', [exec('a'), exec('b')], { reuse: 'new' }), exec('free')]));
    const { fake } = await runFake(ir, { defaultScript: tenSeconds });
    assert.equal(maxOverlap(fake.calls), 2);
    assert.equal(fake.callsOf('/p/free')[0]!.start, fake.callsOf('/p/g/a')[0]!.start);
  });

  it('a "new" group\'s container is disposed when its owner finishes, not when the run ends', async () => {
    // (Its disposal first reads back the data store's writes, so it lands a moment after the owner ends:
    // gap gives it that moment.)
    const ir = pipeline(serial('ci', [serial('build', [exec('a'), exec('b')], { reuse: 'new' }), exec('gap'), exec('after')]));
    let disposedWhenAfterRan: boolean | undefined;
    const fake = new FakeRuntimeProvider();
    await runFake(ir, {
      fake,
      scripts: { '/ci/gap': { duration: '1s' }, '/ci/after': () => { disposedWhenAfterRan = fake.containers.find((k) => k.spec.group === '/ci/build')!.disposed; return {}; } },
    });
    assert.equal(disposedWhenAfterRan, true);
  });

  it('a container whose command was killed is not reused', async () => {
    const ir = pipeline(serial('ci', [exec('slow', 'x', { maxTime: 1, suppressErrors: true }), exec('next')], { stopOnError: false }));
    const { fake } = await runFake(ir, { scripts: { '/ci/slow': { hang: true } } });
    assert.deepEqual(fake.containers.map((k) => k.commands), [['/ci/slow'], ['/ci/next']]);
  });

  it('every container is disposed at the end, open/close bracket the run, labels name run and group', async () => {
    const ir = pipeline(serial('ci', [parallel('p', [exec('a'), exec('b')]), serial('g', [exec('c')], { reuse: 'new' })]));
    const { fake } = await runFake(ir, { scripts: { '/ci/p/a': tenSeconds }, runId: 'r-42', labels: { team: 'infra' } });
    assert.ok(fake.containers.length === 3 && fake.containers.every((k) => k.disposed));
    assert.deepEqual(fake.opened.map((r) => r.runId), ['r-42']);
    assert.deepEqual(fake.closed.map((r) => r.labels), [{ team: 'infra', 'dev.caisson.run': 'r-42' }]);
    assert.deepEqual(fake.containers.map((k) => k.spec.labels), [
      { team: 'infra', 'dev.caisson.run': 'r-42', 'dev.caisson.group': 'global' },
      { team: 'infra', 'dev.caisson.run': 'r-42', 'dev.caisson.group': 'global' },
      { team: 'infra', 'dev.caisson.run': 'r-42', 'dev.caisson.group': '/ci/g' },
    ]);
  });

  it('disposes every container when the run ends in error, too', async () => {
    const ir = pipeline(parallel('p', [exec('a'), exec('b')]));
    const { fake, result } = await runFake(ir, { scripts: { '/p/a': { exitCode: 1 }, '/p/b': tenSeconds } });
    assert.equal(result.state, 'error');
    assert.ok(fake.containers.every((k) => k.disposed));
    assert.equal(fake.closed.length, 1);
  });

  it('the container event says which container and whether it was reused', async () => {
    const { events } = await runFake(pipeline(serial('ci', [exec('a'), exec('b')])));
    const containerEvents = events.filter((e) => e.type === 'container').map((e) => e.type === 'container' && [e.path, e.containerId, e.reused, e.group, e.attempt]);
    assert.deepEqual(containerEvents, [['/ci/a', 'fake-1', false, 'global', 1], ['/ci/b', 'fake-1', true, 'global', 1]]);
  });
});
