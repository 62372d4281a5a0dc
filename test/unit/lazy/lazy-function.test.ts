// lazy(name, fn, ...args): a lazy node whose generator is a native function returning a builder. On the
// fake runtime the function runs in-process with the container's serialisation, so these tests meet what
// a container would send back: the subtree document, grafted under `execute`.
import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, pipeline } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';
// Loaded inside the tests: see test/unit/native/native-dsl.test.ts.
const fixture = () => import('../../fixtures/lazy/shards.ts');

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'lazy');

describe('lazy subtrees from a native function', () => {
  it('compiles to a generator Exec with a call and a graft, and a placeholder', async () => {
    const { default: lazyfn } = await fixture();
    const ir = compile(lazyfn, { baseDir: fixtures });
    const tests = ir.root.kind === 'serial' ? ir.root.children[1]! : undefined;
    assert.ok(tests?.kind === 'serial');
    const [generate, execute] = tests.children;
    assert.ok(generate?.kind === 'exec' && generate.call && generate.graft);
    assert.equal(generate.call.module, 'shards.ts');
    assert.equal(generate.call.export, 'shards');
    assert.deepEqual(generate.call.args, [3, 'unit']);
    assert.equal(generate.graft.into, 'execute');
    assert.ok(execute?.kind === 'serial' && execute.children.length === 0 && execute.placeholder);
  });

  it('runs the function, grafts what it returned, and runs the grafted nodes in order', async () => {
    const { default: lazyfn } = await fixture();
    const { result, status, fake, events } = await runFake(lazyfn);
    assert.equal(result.state, 'done', JSON.stringify(result.statuses));
    for (let i = 0; i < 3; i++) assert.equal(status(`/lazyfn/tests/execute/shard${i}`).state, 'done');
    assert.deepEqual(fake.callsOf('/lazyfn/tests/execute/shard2').map((c) => c.command), ['echo unit 2']);
    // The graft is one event; the generator's return value is the subtree, not a value shown on it.
    assert.equal(events.filter((e) => e.type === 'graft').length, 1);
    assert.equal(status('/lazyfn/tests/generate').result, undefined);
    // after runs once the grafted shards have.
    const shardEnds = [0, 1, 2].map((i) => status(`/lazyfn/tests/execute/shard${i}`).endedAt!);
    assert.ok(status('/lazyfn/after').startedAt! >= Math.max(...shardEnds));
  });

  it('a function that returns no builder fails the generator, saying what it got', async () => {
    const { wrong } = await fixture();
    const { status } = await runFake(wrong);
    assert.equal(status('/wrong/tests/generate').state, 'error');
    assert.match(status('/wrong/tests/generate').reason!, /must return a group builder \(serial\(\), parallel\(\)\), got object|subtree/);
  });

  it('a function that throws fails the generator with its message and line; nothing is grafted', async () => {
    const { failing } = await fixture();
    const { status, events } = await runFake(pipeline('p', { image: 'node-image' }).add('failing', failing));
    assert.equal(status('/p/failing/tests/generate').state, 'error');
    assert.match(status('/p/failing/tests/generate').reason!, /^threw Error: no shards today \(at .*shards\.ts:\d+:\d+\)$/);
    assert.equal(events.filter((e) => e.type === 'graft').length, 0);
  });

  it('arguments are typed by the function', async () => {
    const { shards } = await fixture();
    // Checked by the type check of the suite: the directive fails it if the call below type-checks.
    const typed = () => {
      // @ts-expect-error shards takes (number, string): a string count is a type error
      pipeline('t').lazy('x', shards, 'three', 'unit');
    };
    assert.equal(typeof typed, 'function');
  });
});

describe('compileSubtree: image names of the graft point', () => {
  it('keeps an imageName the subtree does not define, for the pipeline it is grafted into to resolve', async () => {
    const { compileSubtree, parallel: par, image } = await import('../../../core/index.ts');
    const doc = compileSubtree(par({ imageName: 'box' }).exec('a', 'true').exec('b', 'true', { image: image({ ref: 'busybox:latest', name: 'own' }) }));
    assert.equal(doc.root.image, 'box');
    assert.deepEqual(Object.keys(doc.images), ['own'], 'a stand-in for box is not in the table; its own image is');
  });
});
