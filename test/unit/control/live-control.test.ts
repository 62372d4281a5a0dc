// The one control layer: an action on a run that is being executed goes to its runner through the
// control log and is applied live, recorded once; with no runner it is applied to the record.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Engine, LiveControl, RunRecorder, RunStore, compile, controlRun, pipeline, systemClock, CONTROL_FILE,
  type ControlEntry, type LogEntry, type Run, type RunMeta, type RunRecord,
} from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

const meta: RunMeta = { version: 1, runId: 'r1', pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };
const entries = (record: RunRecord): LogEntry[] => readFileSync(record.logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogEntry);
const controls = (record: RunRecord) => entries(record).filter((e): e is ControlEntry => e.type === 'control');

describe('control: live and on a record', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-ctl-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A live run of `slow` (hangs until killed or reset) then `later`, recorded, with its LiveControl. */
  function liveRun(fake = new FakeRuntimeProvider().script('/p/slow', [{ hang: true }, {}])) {
    const ir = compile(pipeline('p').exec('slow', 'sleep 1000').exec('later', 'echo later').exec('last', 'echo last'));
    const record = new RunStore(dir).create(meta, ir);
    // The real clock: on the fake's virtual one a hang would meet its maxTime at once.
    const run: Run = new Engine(fake, systemClock).createRun(ir, { runId: meta.runId });
    const recorder = new RunRecorder(run, record, 'run');
    const control = new LiveControl(run, recorder);
    const running = new Promise<void>((resolve) => run.on((e) => { if (e.type === 'state' && e.path === '/p/slow' && e.state === 'running') resolve(); }));
    const finished = run.start().finally(() => { control.close(); recorder.close(); });
    return { record, run, running, finished, fake };
  }

  it('skip of a pending node reaches the runner, is applied live and recorded as one entry', async () => {
    const { record, running, finished } = liveRun();
    await running;
    const outcome = await controlRun(record, { op: 'skip', path: '/p/later' });
    assert.equal(outcome.live, true);
    assert.equal(outcome.statuses['/p/later']!.skipped, true);
    const entry = outcome.entry;
    assert.ok(entry.request && entry.requestedAt !== undefined);
    assert.deepEqual(entry.events.map((e) => [e.path, e.skipped]), [['/p/later', true]]);
    const reset = await controlRun(record, { op: 'reset', path: '/p/slow' });
    assert.equal(reset.live, true);
    const result = await finished;
    assert.equal(result.statuses['/p/later']!.skipped, true);
    assert.equal(result.statuses['/p/slow']!.attempt, 2, 'reset while running: it ran again');
    assert.equal(result.state, 'done');
    // Once: the skip's state change is in its control entry only, not also as a line of its own.
    const skipLines = entries(record).filter((e) => e.type === 'state' && e.path === '/p/later' && e.skipped);
    assert.equal(skipLines.length, 0);
    assert.deepEqual(controls(record).map((c) => c.op), ['skip', 'reset']);
    assert.ok(JSON.parse(readFileSync(join(record.dir, 'ir.json'), 'utf8')).root.children[1].skip, 'ir.json says it is skipped');
  });

  it('edit of a running node changes ir.json (its attempt keeps its command), kill ends it killed by user', async () => {
    const { record, running, finished, fake } = liveRun(new FakeRuntimeProvider().script('/p/slow', { hang: true }));
    await running;
    await controlRun(record, { op: 'edit', path: '/p/slow', command: 'echo fixed' });
    const kill = await controlRun(record, { op: 'kill', path: '/p/slow' });
    assert.equal(kill.live, true);
    const result = await finished;
    assert.equal(result.statuses['/p/slow']!.state, 'killed');
    assert.equal(result.statuses['/p/slow']!.reason, 'killed by user');
    assert.equal(fake.callsOf('/p/slow')[0]!.command, 'sleep 1000');
    assert.equal(JSON.parse(readFileSync(join(record.dir, 'ir.json'), 'utf8')).root.children[0].command, 'echo fixed');
  });

  it('a refused action is one error for the requester, and the runner records why', async () => {
    const { record, run, running, finished } = liveRun();
    await running;
    await assert.rejects(controlRun(record, { op: 'edit', path: '/p', command: 'x' }), /cannot edit \/p: it is a serial/);
    run.kill('/p');
    await finished;
  });

  it('with no runner left, the action applies to the record, and kill says there is nothing to kill', async () => {
    const { record, running, finished, run } = liveRun();
    await running;
    run.kill('/p');
    await finished;
    const reset = await controlRun(record, { op: 'retry', path: '/p' });
    assert.equal(reset.live, false);
    assert.deepEqual(reset.entry.paths, ['/p/slow']);
    assert.equal(reset.statuses['/p/slow']!.state, 'pending');
    await assert.rejects(controlRun(record, { op: 'kill', path: '/p' }), /nothing to kill: no runner is executing run r1/);
    assert.equal(controls(record).at(-1)!.request, undefined, 'applied to the record, not requested');
  });

  it('a request for an earlier runner is never applied by a later one', async () => {
    const first = liveRun();
    await first.running;
    first.run.kill('/p');
    await first.finished;
    // A request addressed to the finished runner, as a requester that raced its end would leave it.
    const { appendRequest } = await import('../../../core/plugin-kit.ts');
    appendRequest(first.record, { type: 'runner', at: 1, pid: 1, host: 'gone', command: 'run' }, { op: 'skip', path: '/p/last' });
    assert.ok(readFileSync(join(first.record.dir, CONTROL_FILE), 'utf8').includes('/p/last'));
    const run = new Engine(new FakeRuntimeProvider(), systemClock).createRun(first.record.loadIr(), { runId: meta.runId });
    const recorder = new RunRecorder(run, first.record, 'resume');
    const control = new LiveControl(run, recorder);
    control.poll();
    control.close();
    recorder.close();
    assert.equal(run.status('/p/last').skipped, false);
  });
});
