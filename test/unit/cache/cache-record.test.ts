// The result cache in a run record and in the DSL: cache events and the cached / bypass marks survive
// events.jsonl (a hit shows cached after replay; a reset applied to the record makes resume bypass the
// cache, and the upstream keys of done nodes come back from the record), and bad cache options are one
// message naming the field.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, Engine, LocalResultCache, parseLog, pipeline, RunRecorder, RunStore, type RunMeta } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

const meta = (runId: string): RunMeta => ({ version: 1, runId, pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 });

describe('result cache: record and DSL', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-cache-rec-')); mkdirSync(join(dir, 'runs')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a hit is replayed as done (cached) with its cache event; a reset on the record makes resume bypass, with the upstream key from the record', async () => {
    const ir = compile(pipeline('p', { cache: true }).exec('a', 'make').exec('b', 'test'));
    const cache = { store: new LocalResultCache(join(dir, 'store')), baseDir: dir };
    const store = new RunStore(join(dir, 'runs'));
    const runOnce = async (id: string) => {
      const record = store.create(meta(id), ir);
      const fake = new FakeRuntimeProvider();
      const run = new Engine(fake, fake.clock).createRun(ir, { runId: id, cache });
      const recorder = new RunRecorder(run, record, 'run');
      await run.start();
      recorder.close();
      return { record, fake };
    };
    await runOnce('r1');
    const { record } = await runOnce('r2');
    const replayed = record.replay();
    assert.deepEqual(replayed.statuses['/p/a']!.cached?.runId, 'r1');
    assert.deepEqual(replayed.cacheLookups.get('/p/a')!.map((e) => [e.decision, e.from]), [['hit', 'r1']]);
    assert.deepEqual(replayed.attempts.get('/p/a')!.map((a) => [a.cache, a.cachedFrom]), [['hit', 'r1']]);
    const keyOfA = replayed.statuses['/p/a']!.cacheKey!;
    assert.match(keyOfA, /^[0-9a-f]{64}$/);
    assert.ok(parseLog(record.loadLogText()).entries.some((e) => e.type === 'cache'));

    // reset /p/b on the record (no runner), then a runner from the record alone.
    const restored = new Engine(new FakeRuntimeProvider()).createRun(record.loadIr(), { runId: record.id, initial: record.replay().statuses });
    const { recordControl } = await import('../../../core/control/record-control.ts');
    recordControl(record, restored, { op: 'reset', paths: ['/p/b'] }, () => restored.reset('/p/b'));
    const statuses = record.replay().statuses;
    assert.equal(statuses['/p/b']!.bypassCache, true);
    const fake = new FakeRuntimeProvider();
    const resumed = new Engine(fake, fake.clock).createRun(record.loadIr(), { runId: record.id, initial: statuses, cache });
    const events: Array<{ type: string; decision?: string; reason?: string; path?: string }> = [];
    resumed.on((e) => events.push(e));
    await resumed.start();
    assert.deepEqual(fake.ran(), ['/p/b'], 'a stays done, b runs');
    assert.deepEqual(events.filter((e) => e.type === 'cache').map((e) => [e.path, e.decision, e.reason]), [['/p/b', 'bypass', 'reset']]);
    // b's key still builds on a's key from the record: the same as in the first run.
    const firstB = (await runOnce('r3')).record.replay().cacheLookups.get('/p/b')![0]!;
    assert.equal(firstB.decision, 'hit');
    assert.equal(resumed.status('/p/b').cacheKey, firstB.key);
  });

  it('bad cache options are one message naming the field', () => {
    const bad = (cache: unknown) => {
      try { compile(pipeline('p').exec('t', 'x', { cache } as never)); } catch (e) { return (e as Error).message; }
      return 'accepted';
    };
    assert.equal(bad({ inputs: ['/etc/passwd'] }), '/p/t: cache.inputs: expected a pattern relative to the pipeline folder, not an absolute path, got "/etc/passwd"');
    assert.equal(bad({ inputs: ['../other/**'] }), '/p/t: cache.inputs: expected a pattern inside the pipeline folder (no ".." segments), got "../other/**"');
    assert.equal(bad({ ttl: 'soon' }), '/p/t: cache.ttl: expected seconds > 0 or a duration like "12h", got "soon"');
    assert.equal(bad({ inputz: [] }), '/p/t: cache: unknown field (known: inputs, env, ttl), got "inputz"');
    assert.equal(bad('yes'), '/p/t: cache: expected true, false or { inputs, env, ttl }, got "yes"');
    assert.equal(bad({ env: ['A=B'] }), '/p/t: cache.env: expected a list of environment variable names (not empty, no "=" or NUL), got ["A=B"]');
    const ir = compile(pipeline('p', { cache: { ttl: '1h' } }).exec('on', 'x').serial('s', (s) => s.exec('off', 'y'), { cache: false }));
    const [on, s] = ir.root.kind === 'exec' ? [] : ir.root.children;
    assert.deepEqual([(on as { cache?: unknown }).cache, (s as { cache?: unknown }).cache], [{ ttl: 3600 }, undefined]);
  });
});
