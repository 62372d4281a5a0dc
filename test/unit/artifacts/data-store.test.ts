// The per-run data store: the host-side stores (memory, a record folder), and the run's exchange with
// containers on the fake runtime (what caisson-data sees at a command's start, what its writes do).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderDataStore, MemoryDataStore, pipeline } from '../../../core/index.ts';
import { DATA_SCRIPT } from '../../../core/plugin-kit.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';

describe('data store: host-side API', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-data-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [kind, make] of [['memory', () => new MemoryDataStore()], ['record folder', () => new FolderDataStore(dir)]] as const) {
    it(`${kind}: put, get, list (by prefix), exists, delete`, () => {
      const s = make();
      s.put('greeting', 'hello');
      s.put('metrics/a', Buffer.from([1, 2]));
      s.put('metrics/b', 'b');
      assert.equal(s.get('greeting')?.toString(), 'hello');
      assert.deepEqual(s.list(), ['greeting', 'metrics/a', 'metrics/b']);
      assert.deepEqual(s.list('metrics/'), ['metrics/a', 'metrics/b']);
      assert.equal(s.exists('metrics/a'), true);
      assert.equal(s.delete('metrics/a'), true);
      assert.equal(s.delete('metrics/a'), false);
      assert.equal(s.get('metrics/a'), undefined);
      assert.throws(() => s.put('../x', 'y'), /data store: bad name "\.\.\/x"/);
    });
  }

  it('a record folder store is the same store when opened again (what resume does)', () => {
    new FolderDataStore(dir).put('k', 'v');
    assert.equal(new FolderDataStore(dir).get('k')?.toString(), 'v');
  });

  it('the caisson-data script is POSIX sh (no bashisms the smallest images lack)', () => {
    assert.ok(DATA_SCRIPT.startsWith('#!/bin/sh\n'));
    assert.doesNotMatch(DATA_SCRIPT, /\[\[|function |local |\$\{[^}]*\/\//);
  });
});

describe('data store: a run on the fake runtime', () => {
  it('a later command sees an earlier one\'s puts and deletes; the run\'s store holds the result', async () => {
    const p = pipeline('d').exec('a', 'x').exec('b', 'x').exec('c', 'x', { reuse: 'new' });
    const { result, fake, run } = await runFake(p, {
      scripts: { '/d/a': { data: { put: { one: '1', two: '2' } } }, '/d/b': { data: { delete: ['one'], put: { three: '3' } } } },
    });
    assert.equal(result.state, 'done');
    assert.equal(fake.callsOf('/d/a')[0]!.data, undefined, 'empty at first');
    assert.deepEqual(fake.callsOf('/d/b')[0]!.data, { one: '1', two: '2' });
    assert.deepEqual(fake.callsOf('/d/c')[0]!.data, { three: '3', two: '2' }, 'a fresh container gets the store too');
    assert.deepEqual(run.data.list(), ['three', 'two']);
  });

  it('writes of a command that ended are seen by a command starting in another container, even while the first runs again', async () => {
    // /d/p/a writes, then /d/p/slow runs long in the same container; /d/p/late starts in another one after a ended.
    const p = pipeline('d').parallel('p', (g) => g
      .serial('one', (s) => s.exec('a', 'x').exec('slow', 'x'))
      .serial('two', (s) => s.exec('wait', 'x', { reuse: 'new' }).exec('late', 'x')));
    const { fake } = await runFake(p, {
      capacity: { cpu: 2 },
      scripts: { '/d/p/one/a': { data: { put: { k: 'v' } } }, '/d/p/one/slow': { duration: '1m' }, '/d/p/two/wait': { duration: '10s' } },
    });
    assert.equal(fake.callsOf('/d/p/one/slow')[0]!.containerId, fake.callsOf('/d/p/one/a')[0]!.containerId);
    assert.deepEqual(fake.callsOf('/d/p/two/late')[0]!.data, { k: 'v' });
  });

  it('writes of a failing command count (they were made), as in Conducto', async () => {
    const { run } = await runFake(pipeline('d').exec('a', 'x'), { scripts: { '/d/a': { exitCode: 1, data: { put: { partial: 'p' } } } } });
    assert.equal(run.data.get('partial')?.toString(), 'p');
  });

  it('a store given to the run (a record\'s) is what commands see', async () => {
    const data = new MemoryDataStore();
    data.put('config', 'prod');
    const { fake } = await runFake(pipeline('d').exec('a', 'x'), { data });
    assert.deepEqual(fake.callsOf('/d/a')[0]!.data, { config: 'prod' });
  });
});
