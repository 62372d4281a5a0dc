// The files of a record: append-only lines that survive a killed writer, output per attempt, the store's lookups.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendFile, OutputWriter, RunStore, readOutput, attemptsWithOutput, outputFileOf, RunNotFoundError, compile, pipeline, type RunMeta } from '../../../core/plugin-kit.ts';

describe('store: files', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-store-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('AppendFile cuts a partial last line before appending, so lines never fuse', () => {
    const file = join(dir, 'log.jsonl');
    appendFileSync(file, '{"a":1}\n{"b":');
    const f = new AppendFile(file);
    f.append({ c: 3 });
    f.close();
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"c":3}\n');
  });

  it('AppendFile cuts a file that is one partial line entirely', () => {
    const file = join(dir, 'log.jsonl');
    appendFileSync(file, 'x'.repeat(10_000));
    const f = new AppendFile(file);
    f.append(1);
    f.close();
    assert.equal(readFileSync(file, 'utf8'), '1\n');
  });

  it('output keeps attempts apart and streams in order; odd node names stay inside logs/', () => {
    const w = new OutputWriter(dir);
    w.write('/p/../x y', 1, { at: 1, stream: 'stdout', data: 'one\n' });
    w.write('/p/../x y', 1, { at: 2, stream: 'stderr', data: 'err\n' });
    w.close('/p/../x y');
    w.write('/p/../x y', 2, { at: 3, stream: 'stdout', data: 'two\n' });
    w.closeAll();
    assert.deepEqual(readOutput(dir, '/p/../x y', 1).map((c) => `${c.stream}:${c.data}`), ['stdout:one\n', 'stderr:err\n']);
    assert.deepEqual(readOutput(dir, '/p/../x y', 2).map((c) => c.data), ['two\n']);
    assert.deepEqual(attemptsWithOutput(dir, '/p/../x y'), [1, 2]);
    assert.ok(outputFileOf(dir, '/p/../x y', 1).startsWith(join(dir, 'logs')));
    assert.ok(!outputFileOf(dir, '/p/../x y', 1).includes('/../'));
  });

  it('finds runs by id, unique prefix and latest; unknown and ambiguous refs name the candidates', () => {
    const store = new RunStore(join(dir, 'runs'));
    const ir = compile(pipeline('p').exec('a', 'true'));
    const meta = (runId: string): RunMeta => ({ version: 1, runId, pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 });
    store.create(meta('20260101-000000-aaaa'), ir);
    store.create(meta('20260102-000000-bbbb'), ir);
    store.create(meta('20260102-000000-bbcc'), ir);
    assert.equal(store.ids()[2], '20260101-000000-aaaa');
    assert.equal(store.find('20260101').id, '20260101-000000-aaaa');
    assert.equal(store.find('20260102-000000-bbc').id, '20260102-000000-bbcc');
    assert.ok(['20260102-000000-bbbb', '20260102-000000-bbcc'].includes(store.find('latest').id));
    assert.throws(() => store.find('20260102-000000-bb'), (e: RunNotFoundError) => /ambiguous/.test(e.message) && e.candidates.length === 2);
    assert.throws(() => store.find('20260103'), (e: RunNotFoundError) => /no run "20260103".*closest: 2026/.test(e.message));
    assert.deepEqual(store.open('20260101-000000-aaaa').loadIr(), ir);
  });
});
