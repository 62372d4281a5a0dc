// The web UI's runs list: a settled run is read whole once and its row kept until its files change;
// a live run's row follows the server's incremental watch, never a whole read per refresh.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, RunRecorder, RunStore, compile, controlRun, pipeline, systemClock, type RunMeta, type RunRecord } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';
import { RunRows } from '../../../plugins/ui/run-rows.ts';
import { RunWatch } from '../../../plugins/ui/run-watch.ts';
import type { RunSource } from '../../../plugins/ui/run-api.ts';

describe('ui: the runs list', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-rows-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A store with run r1 of `slow` then `later`, and a source counting whole reads of each record. */
  function setup(fake: FakeRuntimeProvider) {
    const store = new RunStore(dir);
    const ir = compile(pipeline('p').exec('slow', 'sleep 1000').exec('later', 'echo later'));
    const meta: RunMeta = { version: 1, runId: 'r1', pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };
    const record = store.create(meta, ir);
    const run = new Engine(fake, systemClock).createRun(ir, { runId: 'r1' });
    const recorder = new RunRecorder(run, record, 'run');
    let wholeReads = 0;
    const source: RunSource = {
      ids: () => store.ids(),
      open: (id) => {
        const r: RunRecord = store.open(id);
        const replay = r.replay.bind(r);
        r.replay = () => { wholeReads++; return replay(); };
        return r;
      },
    };
    const watches = new Map<string, RunWatch>();
    const rows = new RunRows((r) => { let w = watches.get(r.dir); if (w) w.refresh(); else watches.set(r.dir, (w = new RunWatch(r))); return w; });
    return { run, recorder, record, source, rows, reads: () => wholeReads };
  }

  it('reads a settled run whole once, and again only when its log changed', async () => {
    const s = setup(new FakeRuntimeProvider());
    await s.run.start();
    s.recorder.close();
    const first = s.rows.list(s.source);
    assert.equal(first[0]!.state, 'done');
    assert.equal(first[0]!.runner, 'finished');
    const { sessions } = s.record.replay();
    assert.equal(first[0]!.durationMs, sessions[0]!.lastAt - sessions[0]!.startedAt, 'the time it executed, as caisson runs shows it');
    assert.equal(s.reads(), 1);
    assert.deepEqual(s.rows.list(s.source), first);
    assert.equal(s.reads(), 1, 'kept: nothing changed');
    await controlRun(s.record, { op: 'reset', path: '/p/later' });
    const after = s.rows.list(s.source)[0]!;
    assert.equal(after.counts.pending, 2, 'the reset shows (the node and its Serial)');
    assert.equal(after.state, 'pending');
  });

  it('follows a live run through its watch, then settles when its runner finishes', async () => {
    const s = setup(new FakeRuntimeProvider().script('/p/slow', { hang: true }));
    const running = new Promise<void>((resolve) => s.run.on((e) => { if (e.type === 'state' && e.path === '/p/slow' && e.state === 'running') resolve(); }));
    const finished = s.run.start().finally(() => s.recorder.close());
    await running;
    const live = s.rows.list(s.source)[0]!;
    assert.equal(live.runner, 'running');
    assert.equal(live.counts.running, 2, 'the node and its Serial');
    const reads = s.reads();
    for (let i = 0; i < 5; i++) assert.equal(s.rows.list(s.source)[0]!.runner, 'running');
    assert.equal(s.reads(), reads, 'no whole read while it runs');
    s.run.kill('/p');
    await finished;
    const ended = s.rows.list(s.source)[0]!;
    assert.equal(ended.runner, 'finished');
    assert.equal(ended.counts.killed, 1);
  });
});
