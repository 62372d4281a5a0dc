// Recording a run and continuing it from the record alone, as `caisson resume` does after the runner is gone.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, RunRecorder, RunStore, compile, pipeline, recordControl, restoreRun, type PipelineIR, type RunMeta } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

// Compiled at first use, not while the file loads (mutation testing would count the DSL it runs as static).
let compiled: PipelineIR | undefined;
const ir = (): PipelineIR => (compiled ??= compile(pipeline('p').exec('a', 'echo a').exec('b', 'echo b').exec('c', 'echo c')));
const meta: RunMeta = { version: 1, runId: 'r1', pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };

describe('store: RunRecorder', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-rec-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function recordFirstRun() {
    const record = new RunStore(dir).create(meta, ir());
    const fake = new FakeRuntimeProvider()
      .script('/p/a', { stdout: 'out-a\n', stderr: 'warn-a\n' })
      .script('/p/b', [{ exitCode: 2, stdout: 'b failed\n' }, { stdout: 'b fixed\n' }]);
    const run = new Engine(fake, fake.clock).createRun(ir(), { runId: meta.runId });
    const recorder = new RunRecorder(run, record, 'run');
    const result = await run.start();
    recorder.close();
    return { record, fake, result };
  }

  it('the replayed statuses equal the run result, and output is kept per attempt and stream', async () => {
    const { record, result } = await recordFirstRun();
    const replayed = record.replay();
    assert.equal(result.state, 'error');
    assert.deepEqual(restoreRun(record.loadIr(), record.id, replayed.statuses).statuses(), result.statuses);
    assert.equal(replayed.statuses['/p/c'], undefined, 'a node that never changed has no events');
    assert.deepEqual(record.loadOutput('/p/a', 1).map((c) => [c.stream, c.data]), [['stdout', 'out-a\n'], ['stderr', 'warn-a\n']]);
    assert.equal(replayed.runnerFinished, true);
    assert.equal(replayed.runner!.pid, process.pid);
  });

  it('reset recorded as control, then a new runner from the record: attempts continue, attempt 1 output stays', async () => {
    const { record, fake } = await recordFirstRun();
    const restored = restoreRun(record.loadIr(), record.id, record.replay().statuses);
    recordControl(record, restored, { op: 'reset', paths: ['/p/b'] }, () => restored.reset('/p/b'));
    assert.equal(record.replay().statuses['/p/b']!.state, 'pending');

    const resumed = new Engine(fake, fake.clock).createRun(record.loadIr(), { runId: record.id, initial: record.replay().statuses });
    const recorder = new RunRecorder(resumed, record, 'resume');
    const result = await resumed.start();
    recorder.close();
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.callsOf('/p/b').map((c) => c.attempt), [1, 2]);
    assert.deepEqual(fake.callsOf('/p/a').map((c) => c.attempt), [1], 'a done node does not run again');
    assert.equal(record.replay().statuses['/p/b']!.attempt, 2);
    assert.deepEqual(record.loadOutput('/p/b', 1).map((c) => c.data), ['b failed\n']);
    assert.deepEqual(record.loadOutput('/p/b', 2).map((c) => c.data), ['b fixed\n']);
    assert.deepEqual(record.replay().statuses, result.statuses);
  });

  it('a log cut mid-line still restores: the interrupted node comes back killed', async () => {
    const record = new RunStore(dir).create(meta, ir());
    const fake = new FakeRuntimeProvider().script('/p/b', { hang: true });
    const run = new Engine(fake, fake.clock).createRun(ir(), { runId: meta.runId });
    const recorder = new RunRecorder(run, record, 'run');
    const started = new Promise<void>((resolve) => run.on((e) => { if (e.type === 'state' && e.path === '/p/b' && e.state === 'running') resolve(); }));
    const controller = new AbortController();
    const finished = run.start({ signal: controller.signal });
    await started;
    // What a SIGKILL leaves: everything so far, plus half a line.
    const text = readFileSync(record.logFile, 'utf8');
    controller.abort();
    await finished;
    recorder.close();
    writeFileSync(record.logFile, `${text}{"type":"state","at":`);

    const replayed = record.replay();
    assert.equal(replayed.truncatedTail, true);
    assert.equal(replayed.statuses['/p/b']!.state, 'running');
    const restored = restoreRun(record.loadIr(), record.id, replayed.statuses);
    assert.equal(restored.status('/p/b').state, 'killed');
    assert.equal(restored.status('/p/a').state, 'done');
    assert.equal(restored.status('/p').state, 'error', 'a Serial with a killed child is in error, no longer running');
  });
});
