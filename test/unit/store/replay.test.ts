// Replaying a run log rebuilds what a reader (show, resume) relies on, even from a log cut by a kill.
import { strict as assert } from 'node:assert';
import { compile, pipeline, replayLog, parseLog, type LogEntry, type StateEvent } from '../../../core/plugin-kit.ts';
import { activeMs } from '../../../core/store/run-projection.ts';
import { settledStatuses } from '../../../core/store/settled-statuses.ts';

const state = (at: number, path: string, s: StateEvent['state'], previous: StateEvent['state'], attempt: number, extra: Partial<StateEvent> = {}): StateEvent =>
  ({ type: 'state', at, path, state: s, previous, skipped: false, attempt, ...extra });
const lines = (entries: LogEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

describe('store: replayLog', () => {
  const log: LogEntry[] = [
    { type: 'runner', at: 1, pid: 42, host: 'h', command: 'run' },
    { type: 'run-started', at: 10, runId: 'r', pipeline: 'p' },
    state(11, '/p/a', 'running', 'pending', 1),
    state(15, '/p/a', 'error', 'running', 1, { exitCode: 3, reason: 'exit code 3' }),
    state(16, '/p/b', 'running', 'pending', 1),
  ];

  it('folds state events into statuses with attempts, times, reason and exit code', () => {
    const r = replayLog(lines(log));
    assert.deepEqual(r.statuses['/p/a'], { state: 'error', skipped: false, attempt: 1, startedAt: 11, endedAt: 15, reason: 'exit code 3', exitCode: 3 });
    assert.deepEqual(r.statuses['/p/b'], { state: 'running', skipped: false, attempt: 1, startedAt: 16 });
    assert.equal(r.startedAt, 10);
    assert.equal(r.lastAt, 16);
    assert.deepEqual(r.runner, log[0]);
    assert.equal(r.runnerFinished, false);
  });

  it('ignores a partial last line (a writer killed mid-write) and keeps every complete one', () => {
    const text = lines(log) + JSON.stringify(state(17, '/p/b', 'done', 'running', 1)).slice(0, 25);
    const r = replayLog(text);
    assert.equal(r.truncatedTail, true);
    assert.equal(r.damagedLines, 0);
    assert.equal(r.statuses['/p/b']!.state, 'running');
    assert.equal(r.statuses['/p/a']!.state, 'error');
  });

  it('counts a damaged complete line without losing the lines after it', () => {
    const text = `${lines(log.slice(0, 3))}{"type":"state",garbage\n${lines(log.slice(3))}`;
    const r = replayLog(text);
    assert.equal(r.damagedLines, 1);
    assert.equal(r.statuses['/p/b']!.state, 'running');
  });

  it('a new attempt restamps the start; pending clears the times; attempts only grow', () => {
    const r = replayLog(lines([
      ...log,
      { type: 'control', at: 20, op: 'reset', paths: ['/p/a'], events: [state(20, '/p/a', 'pending', 'error', 1)] },
      state(30, '/p/a', 'running', 'pending', 2),
    ]));
    assert.deepEqual(r.statuses['/p/a'], { state: 'running', skipped: false, attempt: 2, startedAt: 30 });
    assert.equal(r.controls.length, 1);
  });

  it('run-finished after the latest runner marks it finished; a later runner reopens it', () => {
    const finished = [...log, { type: 'run-finished', at: 40, runId: 'r', state: 'error' } as LogEntry];
    assert.equal(replayLog(lines(finished)).runnerFinished, true);
    const resumed = replayLog(lines([...finished, { type: 'runner', at: 50, pid: 43, host: 'h', command: 'resume' }]));
    assert.equal(resumed.runnerFinished, false);
    assert.equal(resumed.runner!.pid, 43);
  });

  it('skip flags come from the events (the skipped twin keeps the state)', () => {
    const r = replayLog(lines([...log, state(50, '/p/a', 'error', 'error', 1, { skipped: true })]));
    assert.equal(r.statuses['/p/a']!.state, 'error');
    assert.equal(r.statuses['/p/a']!.skipped, true);
    assert.equal(r.statuses['/p/a']!.endedAt, 15, 'a skip is not an end');
  });

  it('parseLog: an empty log has no entries and no damage', () => {
    assert.deepEqual(parseLog(''), { entries: [], damagedLines: 0, truncatedTail: false });
  });
});

describe('store: how long a run executed, and when a dead runner\'s nodes ended', () => {
  const runner = (at: number): LogEntry => ({ type: 'runner', at, pid: 42, host: 'h', command: 'run' });
  const started = (at: number): LogEntry => ({ type: 'run-started', at, runId: 'r', pipeline: 'p' });
  const finished = (at: number): LogEntry => ({ type: 'run-finished', at, runId: 'r', state: 'done' });

  it('sums each session (run, then resume), not the time between them nor an offline control', () => {
    const r = replayLog(lines([
      runner(0), started(1_000), state(1_100, '/p/a', 'running', 'pending', 1), state(3_000, '/p/a', 'error', 'running', 1), finished(4_000),
      // A reset a day later, while no process runs it, and the resume after it.
      { type: 'control', at: 86_400_000, op: 'reset', paths: ['/p/a'], events: [state(86_400_000, '/p/a', 'pending', 'error', 1)] },
      runner(90_000_000), started(90_000_100), state(90_000_200, '/p/a', 'running', 'pending', 2), state(90_001_000, '/p/a', 'done', 'running', 2), finished(90_002_100),
    ]));
    assert.deepEqual(r.sessions, [{ startedAt: 1_000, lastAt: 4_000, finished: true }, { startedAt: 90_000_100, lastAt: 90_002_100, finished: true }]);
    assert.equal(activeMs(r, false, 999_999_999), 3_000 + 2_000);
  });

  it('a resume after the runner was killed starts its own session: the time between is not counted', () => {
    const r = replayLog(lines([
      runner(0), started(1_000), state(1_500, '/p/a', 'running', 'pending', 1),
      // SIGKILLed here; resumed 90 s later.
      runner(91_000), started(91_500), state(91_600, '/p/a', 'running', 'pending', 2), state(92_500, '/p/a', 'done', 'running', 2), finished(92_600),
    ]));
    assert.deepEqual(r.sessions, [{ startedAt: 1_000, lastAt: 1_500, finished: false }, { startedAt: 91_500, lastAt: 92_600, finished: true }]);
    assert.equal(activeMs(r, false, 99_999), 500 + 1_100);
  });

  it('a live session counts up to now; a dead one stops at its last entry whatever the clock says', () => {
    const r = replayLog(lines([runner(0), started(1_000), state(1_500, '/p/a', 'running', 'pending', 1), state(2_500, '/p/b', 'running', 'pending', 1)]));
    assert.equal(activeMs(r, true, 10_000), 9_000);
    assert.equal(activeMs(r, false, 10_000), 1_500);
    assert.equal(activeMs(r, false, 50_000), 1_500);
    assert.equal(activeMs(replayLog(lines([runner(0)])), false, 10_000), undefined, 'never started');
  });

  it('Execs a dead runner was running end killed at its last entry, and their Serial with them', () => {
    const ir = compile(pipeline('p').exec('a', 'x').exec('b', 'x'));
    const r = replayLog(lines([runner(0), started(1_000), state(1_000, '/p', 'running', 'pending', 1), state(1_500, '/p/a', 'running', 'pending', 1)]));
    const settled = settledStatuses(ir, r.statuses, false, r.sessions.at(-1)!.lastAt);
    assert.equal(settled['/p/a']!.state, 'killed');
    assert.equal(settled['/p/a']!.endedAt, 1_500);
    assert.equal(settled['/p']!.endedAt, 1_500);
    // While its runner is alive, nothing is settled: the Exec is running, with no end.
    assert.equal(settledStatuses(ir, r.statuses, true, 1_500)['/p/a']!.endedAt, undefined);
  });
});
