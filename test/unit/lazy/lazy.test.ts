/**
 * Lazy subtrees on the fake runtime: a generator's subtree is grafted and run, inherits from the graft
 * point, is refused with errors naming the graft path and the limits, is recorded as one graft event,
 * survives a resume without regenerating, and a reset of the lazy node regenerates it.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, RunRecorder, RunStore, compile, compileSubtree, decodePipeline, image, parallel, pipeline, pretty, replayLog, runsDirOf, settledStatuses, type RunMeta } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import { LiveStateUpdater, liveStateOf } from '../../../cli/tty-state.ts';
import { renderStatusTree } from '../../../cli/records/status-tree.ts';

const GEN = '/p/lazy/generate';
const lazyPipeline = (limits?: { nodes?: number; depth?: number; bytes?: number }) =>
  pipeline('p', { image: 'busybox:latest', env: { TOP: 'top' } })
    .registerImage(image({ name: 'tools', ref: 'debian:bookworm-slim' }))
    .lazyCommand('lazy', 'gen.sh', { cpu: 0.5, env: { AT: 'graft point' }, ...(limits ? { limits } : {}) })
    .exec('after', 'echo after');

const fanOut = (n: number) => ({ kind: 'parallel', children: Array.from({ length: n }, (_, i) => ({ name: `s${i}`, command: `echo ${i}`, image: 'tools' })) });

describe('lazy subtrees', () => {
  it('compiles to a Serial of the generator and a placeholder, shown by pretty()', () => {
    const ir = compile(lazyPipeline());
    const lazy = ir.root.kind === 'serial' ? ir.root.children[0]! : assert.fail();
    assert.equal(lazy.kind, 'serial');
    assert.deepEqual(lazy.kind === 'serial' && lazy.children.map((c) => c.name), ['generate', 'execute']);
    assert.match(pretty(ir), /└─ … generated when \/p\/lazy\/generate runs/);
    decodePipeline(JSON.parse(JSON.stringify(ir)));
  });

  it('grafts a generated fan-out that uses a registered image by name, inheriting from the graft point', async () => {
    const { result, fake, events } = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: fanOut(3) } } });
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.ran(), [GEN, '/p/lazy/execute/s0', '/p/lazy/execute/s1', '/p/lazy/execute/s2', '/p/after']);
    const s1 = fake.calls.find((c) => c.path === '/p/lazy/execute/s1')!;
    assert.deepEqual(s1.env, { TOP: 'top', AT: 'graft point' });
    assert.equal(s1.image, 'debian:bookworm-slim');
    assert.equal(events.filter((e) => e.type === 'graft').length, 1);
    const gen = fake.calls.find((c) => c.path === GEN)!;
    assert.match(gen.env.CAISSON_GRAFT_FILE!, /^\/tmp\/caisson-graft-[0-9a-f]{16}-1\.json$/);
  });

  it('accepts a whole IR document, as compile() writes it, and adds its images', async () => {
    const doc = compile(pipeline('gen', { parallel: true }).exec('x', 'echo x', { image: 'alpine:3' }));
    const { result, fake } = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: doc } } });
    assert.equal(result.state, 'done');
    assert.equal(fake.calls.find((c) => c.path === '/p/lazy/execute/x')!.image, 'alpine:3');
  });

  it('compileSubtree(): a TypeScript-built subtree keeps only what it sets, and inherits the rest from the graft point', async () => {
    const alpine = image({ name: 'alpine', ref: 'alpine:3' });
    const doc = compileSubtree(parallel({ env: { OWN: 'own' } }).exec('a', 'echo a', { cpu: 2, image: alpine }).exec('b', 'echo b'));
    assert.deepEqual(Object.keys(doc.images), ['alpine']);
    const { result, fake, status } = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: JSON.stringify(doc) } } });
    assert.equal(result.state, 'done', status(GEN).reason);
    const [a, b] = ['/p/lazy/execute/a', '/p/lazy/execute/b'].map((p) => fake.calls.find((c) => c.path === p)!);
    assert.equal(a!.image, 'alpine:3');
    assert.equal(b!.image, 'busybox:latest');
    assert.deepEqual(b!.env, { TOP: 'top', AT: 'graft point', OWN: 'own' });
    const cpuOf = (call: typeof a) => fake.containers.find((c) => c.id === call!.containerId)!.spec.cpu;
    assert.deepEqual([cpuOf(a), cpuOf(b)], [2, 0.5]);
  });

  it('fails the generator with every problem named by its path under the graft point, and never retries it', async () => {
    const graft = { kind: 'parallel', children: [{ name: 'ok', command: 'true' }, { name: '7', command: 'true', cpu: 0 }, { name: 'x', command: 'true', image: 'nope' }, { name: 'y' }] };
    const { result, status, fake } = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft } } });
    assert.equal(result.state, 'error');
    const reason = status(GEN).reason!;
    assert.match(reason, /^invalid generated subtree \(3 problems\): /);
    assert.match(reason, /\/p\/lazy\/execute\/y: children: /);
    assert.match(reason, /\/p\/lazy\/execute\/7: cpu: expected CPUs > 0, got 0/);
    assert.match(reason, /\/p\/lazy\/execute\/x: image: "nope" is not in the images table/);
    assert.deepEqual(fake.ran(), [GEN]);
    assert.equal(status('/p/lazy/execute').state, 'pending');
  });

  it('says when the generator wrote nothing, or something that is not JSON', async () => {
    const none = await runFake(lazyPipeline(), { scripts: { [GEN]: {} } });
    assert.match(none.status(GEN).reason!, /wrote no subtree: write it as JSON to the file named by \$CAISSON_GRAFT_FILE/);
    const bad = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: '{"kind": ' } } });
    assert.match(bad.status(GEN).reason!, /^invalid generated subtree \(1 problem\): \/p\/lazy\/execute: the generated subtree is not JSON/);
  });

  it('enforces the node, depth and byte limits, with defaults and per node', async () => {
    const nodes = await runFake(lazyPipeline({ nodes: 10 }), { scripts: { [GEN]: { graft: fanOut(10) } } });
    assert.match(nodes.status(GEN).reason!, /more than 10 nodes \(maxNodes\)/);
    const fits = await runFake(lazyPipeline({ nodes: 11 }), { scripts: { [GEN]: { graft: fanOut(10) } } });
    assert.equal(fits.result.state, 'done');
    let deep: Record<string, unknown> = { name: 'leaf', command: 'true' };
    for (let i = 0; i < 4; i++) deep = { name: `l${i}`, children: [deep] };
    const depth = await runFake(lazyPipeline({ depth: 3 }), { scripts: { [GEN]: { graft: deep } } });
    assert.match(depth.status(GEN).reason!, /more than 3 levels deep \(maxDepth\)/);
    const bytes = await runFake(lazyPipeline({ bytes: 100 }), { scripts: { [GEN]: { graft: fanOut(5) } } });
    assert.match(bytes.status(GEN).reason!, /more than 100 bytes \(maxBytes\)/);
    const big = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: fanOut(10_000) } } });
    assert.match(big.status(GEN).reason!, /more than 10000 nodes/);
    assert.throws(() => lazyPipeline({ nodes: 0 }), /\/p\/lazy: limits\.nodes: expected a whole number >= 1, got 0/);
  });

  it('grafted nodes can be edited, skipped and reset like any others', async () => {
    const { run, fake } = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: fanOut(2) } } });
    run.edit('/p/lazy/execute/s0', { command: 'echo edited' });
    run.skip('/p/lazy/execute/s1');
    run.reset('/p/lazy/execute/s0');
    await run.start();
    const calls = fake.calls.filter((c) => c.path === '/p/lazy/execute/s0');
    assert.deepEqual(calls.map((c) => [c.attempt, c.command]), [[1, 'echo 0'], [2, 'echo edited']]);
    assert.equal(fake.ran().filter((p) => p === GEN).length, 1);
  });

  it('a reset of the lazy node regenerates it: the placeholder comes back, the generator runs again', async () => {
    let n = 2;
    const { run, fake, events } = await runFake(lazyPipeline(), { scripts: { [GEN]: () => ({ graft: fanOut(n) }) } });
    n = 3;
    assert.equal(run.reset('/p/lazy'), true);
    const execute = run.ir.root.kind === 'serial' && run.ir.root.children[0]!;
    assert.ok(execute && execute.kind === 'serial' && execute.children[1]!.kind === 'serial' && execute.children[1]!.placeholder);
    assert.equal(run.status('/p/lazy/execute').state, 'pending');
    await run.start();
    assert.equal(fake.ran().filter((p) => p === GEN).length, 2);
    assert.deepEqual(Object.keys(run.statuses()).filter((p) => p.startsWith('/p/lazy/execute/')), ['/p/lazy/execute/s0', '/p/lazy/execute/s1', '/p/lazy/execute/s2']);
    // The regenerated s0 goes on counting attempts: its output goes to a new attempt file.
    assert.equal(run.status('/p/lazy/execute/s0').attempt, 2);
    assert.equal(events.filter((e) => e.type === 'graft').length, 2);
  });

  it('the live tree shows the placeholder row, then the grafted nodes with their states', async () => {
    const ir = compile(lazyPipeline());
    const live = new LiveStateUpdater(liveStateOf(ir));
    assert.ok(live.state.nodes.some((n) => n.name === '… generated when /p/lazy/generate runs'));
    const { events } = await runFake(lazyPipeline(), { scripts: { [GEN]: { graft: fanOut(2) } } });
    for (const e of events) live.apply(e);
    assert.deepEqual(live.state.nodes.map((n) => [n.path, n.state]), [
      ['/p', 'done'], ['/p/lazy', 'done'], ['/p/lazy/generate', 'done'], ['/p/lazy/execute', 'done'],
      ['/p/lazy/execute/s0', 'done'], ['/p/lazy/execute/s1', 'done'], ['/p/after', 'done'],
    ]);
    assert.deepEqual(live.state.nodes[3]!.children, [4, 5]);
  });

  it('a finished run whose generator failed shows the graft point pending, not done', async () => {
    const { result } = await runFake(lazyPipeline(), { scripts: { [GEN]: { exitCode: 1 } } });
    const settled = settledStatuses(compile(lazyPipeline()), result.statuses, false);
    assert.equal(result.statuses['/p/lazy/execute']!.state, 'pending');
    assert.equal(settled['/p/lazy/execute']!.state, 'pending');
  });

  it('caisson show draws the placeholder under a graft point that was not generated yet', () => {
    const text = renderStatusTree(compile(lazyPipeline()), {}, { color: false, now: 0 });
    assert.match(text, /│ └─1 execute {2}pending\n│ {3}└─ … generated when \/p\/lazy\/generate runs\n└─1 after/);
  });

  describe('in a run record', () => {
    let dir: string;
    beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-lazy-')); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps the graft as one event and in ir.json, so a resume never runs the generator again', async () => {
      const ir = compile(lazyPipeline());
      const meta: RunMeta = { version: 1, runId: 'r1', pipeline: 'p', file: join(dir, 'p.ts'), exportName: 'default', runtime: 'fake', createdAt: 0 };
      const record = new RunStore(runsDirOf(dir)).create(meta, ir);
      const fake = new FakeRuntimeProvider().script(GEN, { graft: fanOut(4) }).script('/p/after', { exitCode: 1 });
      const engine = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 8 } });
      const run = engine.createRun(ir, { runId: 'r1' });
      const recorder = new RunRecorder(run, record, 'run');
      await run.start();
      recorder.close();
      const lines = readFileSync(record.logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; node?: { children: unknown[] } });
      const grafts = lines.filter((l) => l.type === 'graft');
      assert.equal(grafts.length, 1);
      assert.equal(grafts[0]!.node!.children.length, 4);
      // Resume: the record's IR has the graft, the replay says the generator is done.
      const replayed = replayLog(record.loadLogText());
      const again = new FakeRuntimeProvider();
      const resumed = new Engine(again, again.clock, { capacity: { cpu: 8, mem: 8 } }).createRun(record.loadIr(), { runId: 'r1', initial: replayed.statuses });
      resumed.reset('/p/after');
      await resumed.start();
      assert.deepEqual(again.ran(), ['/p/after']);
    });
  });
});
