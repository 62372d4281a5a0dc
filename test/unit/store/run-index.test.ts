// The per-user index of recent runs is a hint: it skips damaged lines and runs whose record is gone,
// keeps the newest entry per run, and stays short however many runs are added.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunIndex, RunStore, compile, pipeline, runsDirOf, type RunMeta } from '../../../core/plugin-kit.ts';

describe('store: run index', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-index-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const recordIn = (folder: string, runId: string) => {
    const meta: RunMeta = { version: 1, runId, pipeline: 'p', file: join(folder, 'p.ts'), exportName: 'default', runtime: 'fake', createdAt: 0 };
    new RunStore(runsDirOf(folder)).create(meta, compile(pipeline('p').exec('a', 'x')));
  };

  it('lists runs whose records exist, newest first, one entry per run; damaged lines and deleted folders are skipped', () => {
    const index = new RunIndex(join(dir, 'index.jsonl'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    recordIn(a, 'r1');
    recordIn(b, 'r2');
    index.add({ runId: 'r1', dir: a, cwd: dir, pipeline: 'p' });
    index.add({ runId: 'r2', dir: b, cwd: dir, pipeline: 'p' });
    appendFileSync(index.file, '{"runId": "torn\nnot json\n');
    index.add({ runId: 'r1', dir: a, cwd: a, pipeline: 'p' });
    index.add({ runId: 'r3', dir: join(dir, 'never'), cwd: dir, pipeline: 'p' });
    assert.deepEqual(index.entries().map((e) => [e.runId, e.cwd]), [['r1', a], ['r2', dir]]);
    rmSync(b, { recursive: true });
    assert.deepEqual(index.entries().map((e) => e.runId), ['r1']);
    assert.equal(statSync(index.file).mode & 0o777, 0o600);
  });

  it('keeps itself short: past 400 lines it keeps the newest 200 runs', () => {
    const index = new RunIndex(join(dir, 'index.jsonl'));
    const folder = join(dir, 'a');
    for (let i = 0; i < 450; i++) {
      const id = `r${String(i).padStart(3, '0')}`;
      recordIn(folder, id);
      index.add({ runId: id, dir: folder, cwd: dir, pipeline: 'p' });
    }
    const lines = readFileSync(index.file, 'utf8').trim().split('\n');
    assert.ok(lines.length <= 400, `${lines.length} lines`);
    assert.equal(index.entries()[0]!.runId, 'r449');
    assert.ok(index.entries().length >= 200);
  });

  it('a missing or unwritable index is an empty one, never an error', () => {
    const index = new RunIndex(join(dir, 'no', 'such', 'index.jsonl'));
    assert.deepEqual(index.entries(), []);
    index.add({ runId: 'r1', dir, cwd: dir, pipeline: 'p' }); // its folder does not exist: ignored
    assert.deepEqual(index.entries(), []);
  });
});
