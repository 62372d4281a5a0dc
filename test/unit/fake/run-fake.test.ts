// runFake and fakeRuntime(): what a user's own pipeline tests look like.
import { strict as assert } from 'node:assert';
import { createCaisson, compile, image, pipeline as dslPipeline, type GroupBuilder } from '../../../core/index.ts';
import { fakeRuntime, FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import { exec, pipeline, serial } from '../../helpers/ir.ts';
import { rejectsCode } from '../../helpers/errors.ts';

// The examples load inside the tests that use them: built while this file loads, their DSL calls would
// be "static" to mutation testing (tied to no test), and each such mutant reruns the whole suite.
const example = async (name: string): Promise<GroupBuilder> => ((await import(`../../../examples/${name}.ts`)) as { default: GroupBuilder }).default;

describe('runFake', () => {
  it('accepts a DSL builder: a failure in /ci/checks/unit leaves deploy pending', async () => {
    const { result, fake, status } = await runFake(await example('ci'), { scripts: { '/ci/checks/unit': { exitCode: 1 } } });
    assert.equal(result.state, 'error');
    assert.ok(result.failed.includes('/ci/checks/unit'));
    assert.ok(fake.ran().includes('/ci/install') && fake.ran().includes('/ci/checks/lint'));
    assert.equal(status('/ci/deploy').state, 'pending');
    assert.ok(!fake.ran().some((p) => p.startsWith('/ci/deploy')));
  });

  it('refuses what is neither a builder nor IR with the DslError compile() gives', async () => {
    await rejectsCode(runFake({ name: 'ci' } as never), 'DSL', { path: 'compile()' });
  });

  it('records image, env and command as the compiled IR has them', async () => {
    const { fake } = await runFake(compile(await example('ci')));
    const install = fake.callsOf('/ci/install')[0]!;
    assert.equal(install.image, 'debian:bookworm-slim');
    assert.equal(install.env.CI, '1');
    assert.match(String(install.command), /installed/);
  });

  it('runs a pipeline with built images: each one a placeholder caisson/<name>:fake, plain refs as they are; `images` overrides', async () => {
    const ci2 = dslPipeline('ci', { image: image({ dockerfileText: 'FROM node:20\nRUN npm ci\n', name: 'node-ci' }) })
      .exec('lint', 'npm run lint')
      .exec('pkg', 'true', { image: image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], name: 'tools' }) })
      .exec('plain', 'true', { image: 'busybox:latest' });
    const { result, fake } = await runFake(ci2);
    assert.equal(result.state, 'done', JSON.stringify(result.statuses));
    assert.deepEqual(fake.calls.map((c) => [c.path, c.image]), [
      ['/ci/lint', 'caisson/node-ci:fake'], ['/ci/pkg', 'caisson/tools:fake'], ['/ci/plain', 'busybox:latest'],
    ]);
    const given = await runFake(ci2, { images: { 'node-ci': 'caisson/node-ci:0123456789ab' } });
    assert.equal(given.fake.callsOf('/ci/lint')[0]!.image, 'caisson/node-ci:0123456789ab');
    assert.equal(given.fake.callsOf('/ci/pkg')[0]!.image, 'caisson/tools:fake');
  });

  it('the container-reuse example shares containers the way Conducto does', async () => {
    const { fake } = await runFake(await example('container-reuse'));
    const byGroup = (prefix: string) => new Set(fake.calls.filter((c) => c.path.startsWith(prefix)).map((c) => c.containerId));
    assert.equal(byGroup('/container-reuse/new-serial/').size, 1);
    assert.equal(byGroup('/container-reuse/new-per-exec/').size, 3);
    assert.equal(byGroup('/container-reuse/parallel-new/').size, 1);
    const escaped = fake.callsOf('/container-reuse/global-escape/escaped/outside')[0]!.containerId;
    assert.ok(!byGroup('/container-reuse/global-escape/inside').has(escaped));
  });

  it('accepts IR, a shared provider and a capacity', async () => {
    const fake = new FakeRuntimeProvider();
    const { result } = await runFake(pipeline(serial('s', [exec('a', 'x', { cpu: 3 })])), { fake, capacity: { cpu: 2 } });
    assert.equal(result.state, 'error');
    assert.equal(fake.calls.length, 0);
  });
});

describe('fakeRuntime() plugin', () => {
  it('wires the fake and its virtual clock into createCaisson', async () => {
    const fake = new FakeRuntimeProvider().script('/p/a', { duration: '1h' });
    const { engine, runtime } = createCaisson({ plugins: [fakeRuntime(fake)], capacity: { cpu: 4, mem: 8 } });
    assert.equal(runtime, fake);
    const run = engine.createRun(pipeline(serial('p', [exec('a')])));
    const result = await run.start();
    assert.equal(result.state, 'done');
    assert.equal(fake.calls[0]!.end! - fake.calls[0]!.start, 3_600_000);
  });
});
