// Retries in a run record: the retry events are decoded from events.jsonl, and a run cancelled while a
// node waits for its retry resumes from the record alone with the next try, attempts continuing.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, RunRecorder, RunStore, compile, parseLog, pipeline, type PipelineIR, type RunMeta } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

// Compiled at first use, not while the file loads (mutation testing would count the DSL it runs as static).
let compiled: PipelineIR | undefined;
const ir = (): PipelineIR => (compiled ??= compile(pipeline('p').exec('t', 'x', { retry: { attempts: 3, backoff: { initial: 8, jitter: 0 } } }).exec('after', 'y')));
const meta: RunMeta = { version: 1, runId: 'r1', pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };

describe('store: retries in the record', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-retry-rec-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cancel during the wait, then a runner from the record: try 2 of 3 next, attempt 2 in its own log', async () => {
    const record = new RunStore(dir).create(meta, ir());
    const fake = new FakeRuntimeProvider().script('/p/t', [{ exitCode: 1, stdout: 'first\n' }, { exitCode: 1, stdout: 'second\n' }, { stdout: 'third\n' }]);
    const run = new Engine(fake, fake.clock).createRun(ir(), { runId: meta.runId });
    const ac = new AbortController();
    run.on((e) => { if (e.type === 'retry') ac.abort(); });
    const recorder = new RunRecorder(run, record, 'run');
    await run.start({ signal: ac.signal });
    recorder.close();

    const { entries } = parseLog(record.loadLogText());
    const retry = entries.find((e) => e.type === 'retry');
    assert.deepEqual(retry && retry.type === 'retry' && [retry.failed, retry.failure, retry.exitCode, retry.attempt, retry.of, retry.delayMs], [1, 'exit', 1, 2, 3, 8000]);
    const statuses = record.replay().statuses;
    assert.deepEqual([statuses['/p/t']!.state, statuses['/p/t']!.attempt, statuses['/p/t']!.retry?.attempt], ['pending', 1, 2]);

    const resumed = new Engine(fake, fake.clock).createRun(record.loadIr(), { runId: record.id, initial: statuses });
    const again = new RunRecorder(resumed, record, 'resume');
    const result = await resumed.start();
    again.close();
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.calls.filter((c) => c.path === '/p/t').map((c) => c.attempt), [1, 2, 3]);
    assert.deepEqual([1, 2, 3].map((a) => record.loadOutput('/p/t', a).map((c) => c.data).join('')), ['first\n', 'second\n', 'third\n']);
    const final = record.replay().statuses['/p/t']!;
    assert.deepEqual([final.state, final.attempt, final.retry?.attempt, final.retry?.of], ['done', 3, 3, 3]);
  });
});
