// Declared artifacts on the fake runtime: outputs copied out of the producer's container and stored
// content-addressed, inputs copied into the consumer's, a producer that did not end done failing its
// consumer with a reason naming it, globs, groups as producers, and the compile-time order check.
import { strict as assert } from 'node:assert';
import { compile, decodePipeline, DslError, Engine, inputHashes, IrDecodeError, pipeline, serial, parallel, exec, type RuntimeProvider } from '../../../core/index.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';

const build = (extra = {}) => pipeline('ci')
  .exec('build', 'make', { outputs: 'dist', ...extra })
  .exec('test', 'ls dist', { inputs: '/ci/build' });

describe('artifacts: outputs and inputs on the fake runtime', () => {
  it('a directory output reaches the consumer under its working dir, with size and sha256 in the store', async () => {
    const { result, fake, run } = await runFake(build(), {
      scripts: { '/ci/build': { writes: { 'dist/app.js': 'console.log(1)', 'dist/lib/util.js': 'u', 'junk.txt': 'no' } } },
      images: { 'caisson-default': { ref: 'img', workdir: '/src' } },
    });
    assert.equal(result.state, 'done');
    const [test] = fake.callsOf('/ci/test');
    // A fresh container for the test would have only the inputs; the default pool reuses the build's, so look at dist only.
    assert.equal(test!.files?.['/src/dist/app.js'], 'console.log(1)');
    assert.equal(test!.files?.['/src/dist/lib/util.js'], 'u');
    const [art] = run.artifacts.list();
    assert.deepEqual({ node: art!.node, output: art!.output, size: art!.size, files: art!.files }, { node: '/ci/build', output: 'dist', size: 15, files: 2 });
    assert.match(art!.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(inputHashes([{ from: '/ci/build' }], run.artifacts.list()).map((h) => h.sha256), [art!.sha256]);
  });

  it('inputs land in a fresh container too (reuse "new"), at `to`', async () => {
    const p = pipeline('ci')
      .exec('build', 'make', { outputs: ['dist', 'reports/*.xml'] })
      .exec('test', 'ls', { reuse: 'new', inputs: [{ from: '/ci/build', output: 'reports/*.xml', to: 'in' }] });
    const { result, fake } = await runFake(p, {
      scripts: { '/ci/build': { writes: { 'dist/a': 'a', 'reports/one.xml': '1', 'reports/deep/two.xml': '2', 'reports/x.txt': 'x' } } },
    });
    assert.equal(result.state, 'done', JSON.stringify(result.statuses));
    assert.deepEqual(fake.callsOf('/ci/test')[0]!.files, { '/in/reports/one.xml': '1' });
  });

  it('equal content gives the equal hash (times and order do not count)', async () => {
    const once = async (writes: Record<string, string>) => (await runFake(build(), { scripts: { '/ci/build': { writes } } })).run.artifacts.list()[0]!.sha256;
    assert.equal(await once({ 'dist/a': '1', 'dist/b': '2' }), await once({ 'dist/b': '2', 'dist/a': '1' }));
    assert.notEqual(await once({ 'dist/a': '1' }), await once({ 'dist/a': '2' }));
  });

  it('a 30-way Parallel group as the producer: the reducer gets all 30 outputs', async () => {
    const p = pipeline('mr')
      .parallel('map', (m) => { for (let i = 0; i < 30; i++) m = m.exec(`m${i}`, `echo ${i} > out/${i}.txt`, { outputs: `out/${i}.txt` }); return m; })
      .exec('reduce', 'cat out/*', { reuse: 'new', inputs: '/mr/map' });
    const scripts = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`/mr/map/m${i}`, { writes: { [`out/${i}.txt`]: `${i}\n` } }]));
    const { result, fake } = await runFake(p, { scripts });
    assert.equal(result.state, 'done');
    const files = fake.callsOf('/mr/reduce')[0]!.files!;
    assert.equal(Object.keys(files).length, 30);
    assert.equal(files['/out/29.txt'], '29\n');
  });

  it('a producer that did not end done fails the consumer with a reason naming the producer', async () => {
    const p = pipeline('ci', { stopOnError: false }).exec('build', 'make', { outputs: 'dist' }).exec('test', 'ls', { inputs: '/ci/build' });
    const { status, fake } = await runFake(p, { scripts: { '/ci/build': { exitCode: 2 } } });
    assert.equal(status('/ci/test').state, 'error');
    assert.match(status('/ci/test').reason!, /input from \/ci\/build: the producer ended error \(exit code 2\), not done/);
    assert.equal(fake.callsOf('/ci/test').length, 0, 'no command ran for the consumer');
  });

  it('a skipped producer fails the consumer, saying so', async () => {
    const p = pipeline('ci').exec('build', 'make', { outputs: 'dist', skip: true }).exec('test', 'ls', { inputs: '/ci/build' });
    const { status } = await runFake(p);
    assert.equal(status('/ci/test').reason, 'input from /ci/build: the producer was skipped, so its outputs do not exist');
  });

  it('a runtime without archive calls fails a node with outputs, naming the runtime; other nodes run as before', async () => {
    const inner = new FakeRuntimeProvider();
    // The same fake, with leases that cannot copy files (as a provider written before archives).
    const bare: RuntimeProvider = {
      name: 'bare', capabilities: inner.capabilities,
      open: async (r) => {
        const s = await inner.open(r);
        return { run: r, close: () => s.close(), acquire: async (spec, signal) => { const l = await s.acquire(spec, signal); return { id: l.id, run: (c) => l.run(c), dispose: () => l.dispose() }; } };
      },
    };
    const run = new Engine(bare, inner.clock).createRun(compile(pipeline('ci').exec('plain', 'x').exec('build', 'make', { outputs: 'dist' })));
    const result = await run.start();
    assert.equal(result.statuses['/ci/plain']!.state, 'done');
    assert.equal(result.statuses['/ci/build']!.reason, 'the bare runtime cannot copy files out of containers; /ci/build declares outputs');
  });

  it('a missing output fails the producer, naming the output and the path looked at', async () => {
    const { status } = await runFake(build(), { scripts: { '/ci/build': { writes: { 'other/x': '1' } } } });
    assert.equal(status('/ci/build').state, 'error');
    assert.equal(status('/ci/build').reason, 'output "dist": nothing at /dist when the command ended');
    assert.equal(status('/ci/test').state, 'pending');
  });

  it('a glob matching nothing fails the producer', async () => {
    const p = pipeline('ci').exec('build', 'make', { outputs: 'out/*.xml' });
    const { status } = await runFake(p, { scripts: { '/ci/build': { writes: { 'out/a.txt': '1' } } } });
    assert.equal(status('/ci/build').reason, 'output "out/*.xml": no file under /out matches it');
  });

  it('two producers writing the same file into one consumer is an error naming both', async () => {
    const p = pipeline('ci')
      .parallel('gen', (g) => g.exec('a', 'x', { outputs: 'out' }).exec('b', 'x', { outputs: 'out' }))
      .exec('use', 'x', { reuse: 'new', inputs: '/ci/gen' });
    const { status } = await runFake(p, { defaultScript: { writes: { 'out/same.txt': '1' } } });
    assert.match(status('/ci/use').reason!, /inputs collide: out\/same\.txt comes from both \/ci\/gen\/a and \/ci\/gen\/b/);
  });
});

describe('artifacts: input order is checked when the pipeline compiles', () => {
  const message = (f: () => unknown): string => { try { f(); } catch (e) { assert.ok(e instanceof DslError, String(e)); return e.message; } return 'compiled'; };

  it('an earlier Serial step, or an earlier sibling of an ancestor, is a valid producer', () => {
    const p = pipeline('ci')
      .exec('build', 'make', { outputs: 'dist' })
      .parallel('checks', (c) => c.serial('unit', (u) => u.exec('run', 'x', { inputs: '/ci/build' })));
    assert.doesNotThrow(() => compile(p));
  });

  it('siblings of a Parallel are refused, naming both paths', () => {
    const p = pipeline('ci').parallel('all', (a) => a.exec('build', 'make', { outputs: 'dist' }).exec('test', 'x', { inputs: '/ci/all/build' }));
    assert.equal(message(() => compile(p)), '/ci/all/test: inputs.0: /ci/all/build and /ci/all/test are under the Parallel /ci/all, so /ci/all/test may start first; put the producer in an earlier step of a Serial');
  });

  it('a later Serial step is refused', () => {
    const p = pipeline('ci').exec('test', 'x', { inputs: '/ci/build' }).exec('build', 'make', { outputs: 'dist' });
    assert.equal(message(() => compile(p)), '/ci/test: inputs.0: /ci/build runs after /ci/test in the Serial /ci; move the producer to an earlier step');
  });

  it('an ancestor as producer, an unknown node, an undeclared output are refused', () => {
    assert.match(message(() => compile(pipeline('ci').serial('g', (g) => g.exec('a', 'x', { outputs: 'o' }).exec('b', 'x', { inputs: '/ci/g' })))), /\/ci\/g contains \/ci\/g\/b/);
    assert.match(message(() => compile(pipeline('ci').exec('b', 'x', { inputs: '/ci/nope' }))), /\/ci\/b: inputs\.0: no node \/ci\/nope/);
    assert.match(message(() => compile(pipeline('ci').exec('a', 'x', { outputs: 'o' }).exec('b', 'x', { inputs: { from: '/ci/a', output: 'p' } }))), /\/ci\/a has no output "p" \(its outputs: "o"\)/);
  });

  it('a stored IR whose inputs the tree cannot satisfy is refused when decoded (resume reads ir.json)', () => {
    const ir = compile(pipeline('ci').exec('build', 'make', { outputs: 'dist' }).exec('test', 'x', { inputs: '/ci/build' }));
    const tampered = JSON.parse(JSON.stringify(ir));
    tampered.root.children.reverse();
    assert.throws(() => decodePipeline(tampered), (e: Error) => e instanceof IrDecodeError && /\/ci\/test: inputs\.0: \/ci\/build runs after \/ci\/test/.test(e.message));
  });

  it('bad option values are refused where they are set', () => {
    assert.match(message(() => exec('x', { outputs: '../up' })), /outputs: a "\.\." segment/);
    assert.match(message(() => exec('x', { outputs: '/abs' })), /outputs: expected a path relative/);
    assert.match(message(() => exec('x', { inputs: { from: 'build' } })), /inputs: from: expected the producing node's full path/);
    assert.match(message(() => serial({ outputs: 'x' } as never)), /outputs: only an Exec node has it/);
    void parallel;
  });
});
