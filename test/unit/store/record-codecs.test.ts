// Record files are decoded, not cast: a corrupt or newer-version record is one RunRecordError naming
// the file, the line and the field, never statuses computed from a wrong shape.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore, compile, parseLog, pipeline, readOutput, outputFileOf, type RunMeta } from '../../../core/plugin-kit.ts';
import { OutputWriter } from '../../../core/plugin-kit.ts';
import { runCaisson } from '../../helpers/cli.ts';
import { throwsCode } from '../../helpers/errors.ts';

const meta: RunMeta = { version: 1, runId: 'r-1', pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };
const ok = '{"type":"run-started","at":1,"runId":"r-1","pipeline":"p"}\n';

// Where in the record and which field is wrong is what the message tells: it is matched too.
const throwsRecord = (fn: () => unknown, message: RegExp) => assert.match(throwsCode(fn, 'RUN_RECORD').message, message);

describe('store: record files are decoded', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-codecs-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('events.jsonl: a line of a wrong shape names the file, the line and the field', () => {
    const bad = '{"type":"state","at":2,"path":"/p/a","state":"paused","previous":"pending","skipped":false,"attempt":1}\n';
    throwsRecord(() => parseLog(ok + ok + bad, '/r/events.jsonl'), /^\/r\/events\.jsonl:3: not a valid "state" entry: state: expected .*, got "paused"$/);
    throwsRecord(() => parseLog(`${ok}{"type":"runner","at":1,"pid":"42","host":"h","command":"run"}\n`, 'events.jsonl'), /^events\.jsonl:2: not a valid "runner" entry: pid: expected a number, got "42"$/);
  });

  it('events.jsonl: an entry type this Caisson does not know says a newer Caisson wrote it', () => {
    throwsRecord(() => parseLog(`${ok}{"type":"paused","at":3}\n`, 'events.jsonl'), /^events\.jsonl:2: unknown log entry type "paused": written by a newer Caisson \(this one reads record version 1\); upgrade Caisson/);
  });

  it('events.jsonl: a line that is not JSON at all (never written whole) is still counted and skipped, and a torn tail ignored', () => {
    const r = parseLog(`${ok}{"type":"state",garb\n${ok}{"type":`, 'events.jsonl');
    assert.equal(r.entries.length, 2);
    assert.equal(r.damagedLines, 1);
    assert.equal(r.truncatedTail, true);
  });

  it('meta.json: a newer version, or a missing field, is one error naming the file', () => {
    const store = new RunStore(join(dir, 'runs'));
    const record = store.create(meta, compile(pipeline('p').exec('a', 'x')));
    writeFileSync(join(record.dir, 'meta.json'), JSON.stringify({ ...meta, version: 2 }));
    throwsRecord(() => store.open('r-1'), /meta\.json is a version 2 run record: written by a newer Caisson \(this one reads record version 1\); upgrade Caisson/);
    const { runtime: _, ...noRuntime } = meta;
    writeFileSync(join(record.dir, 'meta.json'), JSON.stringify(noRuntime));
    throwsRecord(() => store.open('r-1').loadMeta(), /meta\.json is not a valid run record: runtime: expected a string, got nothing$/);
  });

  it('meta.json: images as recorded now (ref, id, shell, workdir) and as older records kept them (a bare ref) both read back', () => {
    const store = new RunStore(join(dir, '.caisson/runs'));
    const images = { app: { ref: 'caisson/app:0123456789ab', id: 'sha256:feed', shell: '/bin/sh', workdir: '/mnt/caisson' }, base: 'busybox:latest' };
    store.create({ ...meta, images }, compile(pipeline('p').exec('a', 'x')));
    assert.deepEqual(store.open('r-1').loadMeta().images, images);
  });

  it('output files: a line that is not an output chunk names the file and line', () => {
    const w = new OutputWriter(dir);
    w.write('/p/a', 1, { at: 1, stream: 'stdout', data: 'fine\n' });
    w.closeAll();
    const file = outputFileOf(dir, '/p/a', 1);
    appendFileSync(file, '{"at":2,"stream":"both","data":"x"}\n');
    throwsRecord(() => readOutput(dir, '/p/a', 1), new RegExp(`^${file.replaceAll('.', '\\.')}:2: not a valid output chunk: stream: expected .*, got "both"$`));
  });

  it('the CLI prints the error as one line, no stack trace', () => {
    const store = new RunStore(join(dir, '.caisson', 'runs'));
    const record = store.create(meta, compile(pipeline('p').exec('a', 'x')));
    writeFileSync(join(record.dir, 'events.jsonl'), `${ok}{"type":"paused","at":3}\n`);
    const r = runCaisson(dir, 'show', 'r-1');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^caisson: .*events\.jsonl:2: unknown log entry type "paused": written by a newer Caisson/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});
