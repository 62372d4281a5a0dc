// The one projection of a run's state: what show, runs, logs, the live tree and the UI read.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Engine, FileFollower, RunProjection, RunRecorder, RunStore, compile, parallel, pipeline, restoreRun, serial, settledStatuses, walk,
  type GroupBuilder, type NodeState, type NodeStatus, type PipelineIR, type RunMeta,
} from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

/** A small deterministic PRNG (mulberry32), so a failing tree can be reproduced from its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES: NodeState[] = ['pending', 'queued', 'running', 'done', 'error', 'killed'];

function randomTree(rand: () => number): PipelineIR {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const grow = <G extends GroupBuilder>(g: G, depth: number): G => {
    const n = 1 + Math.floor(rand() * 4);
    let out = g;
    for (let i = 0; i < n; i++) {
      const opts = { skip: rand() < 0.1, suppressErrors: rand() < 0.1 };
      if (depth < 3 && rand() < 0.4) {
        const child = rand() < 0.5 ? serial({ ...opts, stopOnError: rand() < 0.7 }) : parallel(opts);
        out = out.add(`g${i}`, grow(child, depth + 1)) as G;
      } else {
        out = out.exec(`e${i}`, pick(['true', 'false']), opts) as G;
      }
    }
    return out;
  };
  return compile(grow(pipeline('p', { parallel: rand() < 0.5 }), 0));
}

describe('store: settledStatuses (the projection view of a record)', () => {
  it('agrees with the engine restoring the same statuses, on 300 random trees', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = prng(seed);
      const ir = randomTree(rand);
      const given: Record<string, NodeStatus> = {};
      walk(ir.root, (node, path) => {
        if (rand() < 0.2) return; // never mentioned in the log
        const state = STATES[Math.floor(rand() * STATES.length)]!;
        given[path] = { state, skipped: rand() < 0.1, attempt: state === 'pending' ? 0 : 1, ...(state !== 'pending' ? { startedAt: 5 } : {}) };
        if (node.kind === 'exec' && ['done', 'error', 'killed'].includes(state)) given[path]!.endedAt = 9;
      });
      const engine = restoreRun(ir, 'r', given).statuses();
      const ours = settledStatuses(ir, given, false);
      for (const path of Object.keys(engine)) {
        const want = engine[path]!;
        const got = ours[path]!;
        assert.deepEqual([got.state, got.skipped, got.reason], [want.state, want.skipped, want.reason], `seed ${seed}, ${path}`);
      }
      assert.deepEqual(Object.keys(ours).sort(), Object.keys(engine).sort(), `seed ${seed}: the same nodes`);
    }
  });

  it('while a runner works, the log stands as it is (running stays running)', () => {
    const ir = compile(pipeline('p').exec('a', 'x').exec('b', 'y'));
    const given = { '/p': { state: 'running' as const, skipped: false, attempt: 1, startedAt: 1 }, '/p/a': { state: 'running' as const, skipped: false, attempt: 1, startedAt: 1 } };
    const live = settledStatuses(ir, given, true);
    assert.equal(live['/p/a']!.state, 'running');
    assert.equal(live['/p/b']!.state, 'pending');
    const gone = settledStatuses(ir, given, false);
    assert.equal(gone['/p/a']!.state, 'killed');
    assert.equal(gone['/p']!.state, 'error');
  });
});

describe('store: RunProjection', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-proj-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const meta: RunMeta = { version: 1, runId: 'r1', pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };

  it('folds a recorded run into the run result, with every attempt and its container', async () => {
    const ir = compile(pipeline('p').exec('a', 'echo a').parallel('fan', (p) => p.exec('x', 'x').exec('y', 'y')).exec('c', 'c', { skip: true }));
    const record = new RunStore(dir).create(meta, ir);
    const fake = new FakeRuntimeProvider().script('/p/fan/y', [{ exitCode: 3 }, { exitCode: 0 }]);
    const run = new Engine(fake, fake.clock).createRun(ir, { runId: 'r1' });
    const recorder = new RunRecorder(run, record, 'run');
    await run.start();
    run.reset('/p/fan/y');
    const result = await run.start();
    recorder.close();

    const p = record.replay();
    assert.deepEqual(settledStatuses(ir, p.statuses, false), result.statuses);
    const attempts = p.attempts.get('/p/fan/y')!;
    assert.deepEqual(attempts.map((a) => [a.attempt, a.state, a.exitCode]), [[1, 'error', 3], [2, 'done', 0]]);
    assert.ok(attempts.every((a) => a.containerId && a.endedAt !== undefined && a.endedAt >= a.startedAt), JSON.stringify(attempts));
    assert.equal(p.attempts.get('/p/c'), undefined, 'a skipped node never ran');
  });

  it('says which paths an entry changed', () => {
    const p = new RunProjection();
    assert.deepEqual(p.apply({ type: 'state', at: 1, path: '/p/a', state: 'running', previous: 'pending', skipped: false, attempt: 1 }), ['/p/a']);
    assert.deepEqual(p.apply({ type: 'control', at: 2, op: 'skip', paths: ['/p'], events: [
      { type: 'state', at: 2, path: '/p/b', state: 'pending', previous: 'pending', skipped: true, attempt: 0 },
      { type: 'state', at: 2, path: '/p/c', state: 'pending', previous: 'pending', skipped: true, attempt: 0 },
    ] }), ['/p/b', '/p/c']);
    assert.deepEqual(p.apply({ type: 'runner', at: 3, pid: 1, host: 'h', command: 'run' }), []);
  });
});

describe('store: FileFollower', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-follow-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads only what was appended since, keeps a line being written for later, and resumes from an offset', () => {
    const file = join(dir, 'x.jsonl');
    const f = new FileFollower(file);
    assert.deepEqual(f.read().lines, [], 'a missing file has no lines');
    writeFileSync(file, '{"a":1}\n{"b":');
    assert.deepEqual(f.read().lines, ['{"a":1}']);
    assert.equal(f.partial, true);
    appendFileSync(file, '2}\n{"é":3}\n');
    const r = f.read();
    assert.deepEqual(r.lines, ['{"b":2}', '{"é":3}']);
    assert.deepEqual(r.offsets, [8, 16]);
    assert.equal(r.firstLine, 2);
    assert.equal(f.offset, 25, "é is two bytes");
    assert.deepEqual(f.read().lines, [], 'nothing new');
    assert.deepEqual(new FileFollower(file, 16).read().lines, ['{"é":3}']);
    assert.throws(() => new FileFollower(file, 3), /byte 3 is not the start of a line/);
  });

  it('reads a large file a bounded amount at a time', () => {
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, `${'x'.repeat(99)}\n`.repeat(1000));
    const f = new FileFollower(file);
    let n = 0;
    for (let r = f.read(10_000); r.lines.length; r = f.read(10_000)) { assert.ok(r.lines.length <= 101); n += r.lines.length; }
    assert.equal(n, 1000);
  });
});
