// The files of a record: append-only lines that survive a killed writer, output per attempt, the store's lookups.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwsCode } from '../../helpers/errors.ts';
import { AppendFile, OutputWriter, RunStore, readOutput, attemptsWithOutput, outputFileOf, compile, pipeline, type RunMeta } from '../../../core/plugin-kit.ts';

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
    assert.match(throwsCode(() => store.find('20260102-000000-bb'), 'RUN_NOT_FOUND', { ref: '20260102-000000-bb', candidates: ['20260102-000000-bbcc', '20260102-000000-bbbb'] }).message, /ambiguous/);
    assert.match(throwsCode(() => store.find('20260103'), 'RUN_NOT_FOUND', { ref: '20260103' }).message, /closest: 2026/);
    assert.deepEqual(store.open('20260101-000000-aaaa').loadIr(), ir);
  });

  it('caps an attempt\'s log: the head, a marker saying how much was dropped and how to keep more, then the last part', () => {
    const w = new OutputWriter(dir, { cap: 1000 });
    const letters = 'abcdefghij';
    for (const [i, l] of [...letters].entries()) w.write('/p/a', 1, { at: i, stream: i % 2 ? 'stderr' : 'stdout', data: l.repeat(300) });
    w.closeAll();
    const chunks = readOutput(dir, '/p/a', 1);
    const output = chunks.filter((c) => !c.marker).map((c) => c.data).join('');
    const markers = chunks.filter((c) => c.marker);
    // 750 bytes of head, 250 of tail: the cap bounds what is kept; 2000 bytes in between are dropped.
    assert.equal(output, 'a'.repeat(300) + 'b'.repeat(300) + 'c'.repeat(150) + 'j'.repeat(250));
    assert.equal(markers.length, 2);
    assert.ok(markers.every((m) => m.stream === 'stderr'));
    assert.match(markers[0]!.data, /reached the log cap \(1000 bytes\).*CAISSON_LOG_CAP=0/);
    assert.match(markers[1]!.data, /2000 bytes of output were not recorded, past the log cap of 1000 bytes; the last 250 bytes follow/);
    assert.deepEqual(chunks.map((c) => c.marker ? 'marker' : c.data[0]), ['a', 'b', 'c', 'marker', 'marker', 'j']);
    assert.ok(readFileSync(outputFileOf(dir, '/p/a', 1)).length < 2500);
  });

  it('a cap of 0 keeps everything; a chunk is never cut inside a character', () => {
    const w = new OutputWriter(dir, { cap: 0 });
    w.write('/p/a', 1, { at: 0, stream: 'stdout', data: 'z'.repeat(100_000) });
    w.closeAll();
    assert.equal(readOutput(dir, '/p/a', 1)[0]!.data.length, 100_000);
    const u = new OutputWriter(dir, { cap: 100 });
    u.write('/p/b', 1, { at: 0, stream: 'stdout', data: 'é'.repeat(500) });
    u.closeAll();
    const kept = readOutput(dir, '/p/b', 1).filter((c) => !c.marker).map((c) => c.data).join('');
    assert.match(kept, /^é+$/);
    assert.ok(Buffer.byteLength(kept) <= 100);
  });

  it('stores output full of control bytes compactly (base64), and reads it back exactly', () => {
    const w = new OutputWriter(dir);
    const binary = '\u0000'.repeat(20_000) + 'text\u0001é\n';
    w.write('/p/a', 1, { at: 1, stream: 'stdout', data: binary });
    w.write('/p/a', 1, { at: 2, stream: 'stdout', data: 'plain line\n' });
    w.closeAll();
    const file = readFileSync(outputFileOf(dir, '/p/a', 1), 'utf8');
    assert.ok(file.length < 30_000, `${file.length} bytes on disk for 20 KB of NUL bytes`);
    assert.match(file, /"data":"plain line\\n"/); // text stays readable
    assert.deepEqual(readOutput(dir, '/p/a', 1).map((c) => c.data), [binary, 'plain line\n']);
  });
});
