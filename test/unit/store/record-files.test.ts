// A record's files at their edges: torn tails of any length, output folders that no node name can
// escape, attempts in numeric order, writers closed per node, and logs replayed in any entry order.
import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppendFile, IN_PROGRESS_STATES, OutputWriter, applyStateEvent, attemptsWithOutput, outputDirOf, outputFileOf, parseLog,
  parseOutput, readOutput, replayLog, type LogEntry, type NodeStatus, type StateEvent,
} from '../../../core/plugin-kit.ts';

const state = (at: number, path: string, s: StateEvent['state'], previous: StateEvent['state'], attempt: number, extra: Partial<StateEvent> = {}): StateEvent =>
  ({ type: 'state', at, path, state: s, previous, skipped: false, attempt, ...extra });
const lines = (entries: unknown[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

describe('store: AppendFile edges', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-store-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const reopen = (file: string, value: unknown) => { const f = new AppendFile(file); f.append(value); f.close(); return readFileSync(file, 'utf8'); };

  it('creates a missing file and leaves a file of complete lines as it is', () => {
    const file = join(dir, 'log.jsonl');
    assert.equal(reopen(file, { a: 1 }), '{"a":1}\n');
    assert.equal(reopen(file, { b: 2 }), '{"a":1}\n{"b":2}\n');
  });

  it('cuts a torn tail longer than its first look-back window, keeping the lines before it', () => {
    const file = join(dir, 'log.jsonl');
    const head = `${JSON.stringify({ keep: 'x'.repeat(100) })}\n`;
    appendFileSync(file, head + 'y'.repeat(20_000));
    assert.equal(reopen(file, 2), `${head}2\n`);
  });

  it('cuts a torn tail of exactly the look-back window', () => {
    const file = join(dir, 'log.jsonl');
    appendFileSync(file, '1\n' + 'z'.repeat(4096));
    assert.equal(reopen(file, 3), '1\n3\n');
  });

  it('cuts a short torn tail after many complete lines', () => {
    const file = join(dir, 'log.jsonl');
    const complete = lines(Array.from({ length: 1000 }, (_, i) => ({ i })));
    appendFileSync(file, `${complete}{"i":`);
    assert.equal(reopen(file, 'end'), `${complete}"end"\n`);
  });

  it('keeps an empty first line when only what follows it is torn', () => {
    const file = join(dir, 'log.jsonl');
    appendFileSync(file, '\n{"torn":');
    assert.equal(reopen(file, 1), '\n1\n');
  });

  it('refuses to append after close, naming the file; closing twice is harmless', () => {
    const file = join(dir, 'log.jsonl');
    for (const syncOnClose of [true, false]) {
      const f = new AppendFile(file, syncOnClose);
      f.close();
      f.close();
      assert.throws(() => f.append(1), new RegExp(`^Error: ${file.replace(/[.]/g, '\\.')}: append after close$`));
    }
  });
});

describe('store: output files edges', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-store-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts one folder per name under logs/, encoding dots, stars and slashes-unsafe text', () => {
    assert.equal(outputDirOf(dir, '/ci/checks/unit'), join(dir, 'logs', 'ci', 'checks', 'unit'));
    assert.equal(outputDirOf(dir, '/ci/..'), join(dir, 'logs', 'ci', '%2E%2E'));
    assert.equal(outputDirOf(dir, '/ci/a*b.c d'), join(dir, 'logs', 'ci', 'a%2Ab%2Ec%20d'));
    assert.equal(outputFileOf(dir, '/ci/x', 3), join(dir, 'logs', 'ci', 'x', '3.jsonl'));
  });

  it('lists attempts numerically and only files that are attempt outputs', () => {
    const at = outputDirOf(dir, '/p/a');
    mkdirSync(at, { recursive: true });
    for (const f of ['10.jsonl', '9.jsonl', '2.jsonl', 'notes.txt', '3.jsonl.tmp', 'x3.jsonl']) writeFileSync(join(at, f), '');
    assert.deepEqual(attemptsWithOutput(dir, '/p/a'), [2, 9, 10]);
    assert.deepEqual(attemptsWithOutput(dir, '/p/never'), []);
    assert.deepEqual(readOutput(dir, '/p/never', 1), []);
  });

  it('parses output lines, skipping blank and damaged ones and a torn last line', () => {
    const chunk = { at: 1, stream: 'stdout', data: 'a\n' };
    assert.deepEqual(parseOutput(`${JSON.stringify(chunk)}\n\nnot json\n${JSON.stringify(chunk)}\n{"at":`), [chunk, chunk]);
    assert.deepEqual(parseOutput(''), []);
  });

  it('closing one node leaves the files of a node whose path starts the same open', () => {
    const w = new OutputWriter(dir);
    w.write('/p/a', 1, { at: 1, stream: 'stdout', data: 'a1\n' });
    w.write('/p/ab', 1, { at: 2, stream: 'stdout', data: 'ab1\n' });
    w.close('/p/a');
    w.write('/p/ab', 1, { at: 3, stream: 'stdout', data: 'ab2\n' });
    w.write('/p/a', 1, { at: 4, stream: 'stdout', data: 'a2\n' });
    w.closeAll();
    w.closeAll();
    assert.deepEqual(readOutput(dir, '/p/ab', 1).map((c) => c.data), ['ab1\n', 'ab2\n']);
    assert.deepEqual(readOutput(dir, '/p/a', 1).map((c) => c.data), ['a1\n', 'a2\n']);
    assert.ok(existsSync(outputFileOf(dir, '/p/a', 1)));
  });
});

describe('store: replay edges', () => {
  it('counts a complete line that is not JSON as damaged; a JSON line that is not an entry is an error naming the line', () => {
    const r = parseLog('{"ty\n{"type":"runner","at":1,"pid":1,"host":"h","command":"run"}\n');
    assert.equal(r.damagedLines, 1);
    assert.deepEqual(r.entries.map((e) => e.type), ['runner']);
    assert.equal(r.truncatedTail, false);
    assert.equal(parseLog('{"type":"runner","at":1,"pid":1,"host":"h","command":"run"}\n{"ty').truncatedTail, true);
    for (const line of ['42', 'null', '"text"', '{"at":1}', '{"type":7}', '[]']) {
      assert.throws(() => parseLog(`{"type":"runner","at":1,"pid":1,"host":"h","command":"run"}\n${line}\n`),
        (e: Error) => e.name === 'RunRecordError' && e.message.startsWith('events.jsonl:2: not a log entry'), line);
    }
  });

  it('skips blank lines without counting them as damaged', () => {
    const r = parseLog('\n\n{"type":"runner","at":1,"pid":1,"host":"h","command":"run"}\n\n');
    assert.deepEqual([r.entries.length, r.damagedLines, r.truncatedTail], [1, 0, false]);
  });

  it('lastAt is the latest time of any entry, not the last line', () => {
    const r = replayLog(lines([
      { type: 'run-started', at: 50, runId: 'r', pipeline: 'p' },
      state(70, '/p/a', 'running', 'pending', 1),
      { type: 'container', at: 60, path: '/p/a', attempt: 1, containerId: 'c1', group: '/p', reused: false },
      { type: 'run-started', at: 80, runId: 'r', pipeline: 'p' },
    ]));
    assert.equal(r.lastAt, 80);
    assert.equal(r.startedAt, 50, 'the first run-started');
    assert.equal(replayLog('').lastAt, undefined);
    assert.equal(replayLog('').startedAt, undefined);
    assert.equal(replayLog(lines([state(0, '/p', 'running', 'pending', 1)])).lastAt, 0);
  });

  it('a control entry applies all its state events and is kept in order', () => {
    const control: LogEntry = {
      type: 'control', at: 30, op: 'reset', paths: ['/p/a'],
      events: [state(30, '/p/a', 'pending', 'error', 1), state(30, '/p', 'pending', 'error', 1)],
    };
    const r = replayLog(lines([state(10, '/p/a', 'error', 'running', 1, { reason: 'exit code 1', exitCode: 1 }), control]));
    assert.deepEqual(r.controls, [control]);
    assert.deepEqual(r.statuses['/p/a'], { state: 'pending', skipped: false, attempt: 1 });
    assert.deepEqual(r.statuses['/p'], { state: 'pending', skipped: false, attempt: 1 });
  });

  it('a runner entry after run-finished reopens the run; run-finished without a runner still counts', () => {
    assert.equal(replayLog(lines([{ type: 'run-finished', at: 1, runId: 'r', state: 'done' }])).runnerFinished, true);
    const r = replayLog(lines([
      { type: 'runner', at: 1, pid: 1, host: 'h', command: 'run' },
      { type: 'run-finished', at: 2, runId: 'r', state: 'error' },
      { type: 'runner', at: 3, pid: 2, host: 'h', command: 'resume' },
    ]));
    assert.equal(r.runnerFinished, false);
    assert.equal(r.runner?.pid, 2);
  });

  it('applyStateEvent keeps times across a same-attempt event and stamps the end once finished', () => {
    const statuses: Record<string, NodeStatus> = {};
    applyStateEvent(statuses, state(5, '/p/a', 'queued', 'pending', 0));
    assert.deepEqual(statuses['/p/a'], { state: 'queued', skipped: false, attempt: 0 });
    applyStateEvent(statuses, state(6, '/p/a', 'running', 'queued', 1));
    applyStateEvent(statuses, state(7, '/p/a', 'running', 'running', 1, { skipped: true }));
    assert.deepEqual(statuses['/p/a'], { state: 'running', skipped: true, attempt: 1, startedAt: 6 });
    applyStateEvent(statuses, state(9, '/p/a', 'killed', 'running', 1, { reason: 'killed by user' }));
    assert.deepEqual(statuses['/p/a'], { state: 'killed', skipped: false, attempt: 1, startedAt: 6, endedAt: 9, reason: 'killed by user' });
    // A skip-flag event of a finished node (state unchanged) keeps its end time.
    applyStateEvent(statuses, state(12, '/p/a', 'killed', 'killed', 1, { skipped: true }));
    assert.equal(statuses['/p/a']!.endedAt, 9);
    // A restamped attempt clears the end time.
    applyStateEvent(statuses, state(20, '/p/a', 'running', 'killed', 2));
    assert.deepEqual(statuses['/p/a'], { state: 'running', skipped: false, attempt: 2, startedAt: 20 });
  });

  it('knows which states are still being worked on', () => {
    assert.deepEqual([...IN_PROGRESS_STATES].sort(), ['queued', 'running']);
  });
});
