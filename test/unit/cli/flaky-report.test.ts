// The run summary lists what passed only on a later attempt, and the plain log has a line per retry.
import { strict as assert } from 'node:assert';
import { pipeline } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';
import { PlainReporter } from '../../../cli/plain-reporter.ts';

describe('cli: flaky report and retry lines', () => {
  it('the summary names each node that passed on a later try; the log says "retry 2/3 in 8s"', async () => {
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l));
    const ci = pipeline('ci', { retry: { attempts: 3, backoff: { initial: 8, jitter: 0 } } }).exec('test', 'x').exec('lint', 'y').exec('ok', 'z');
    const { result, events } = await runFake(ci, { scripts: { '/ci/test': [{ exitCode: 1 }, {}], '/ci/lint': [{ exitCode: 2 }, { exitCode: 2 }, {}] } });
    for (const e of events) reporter.onEvent(e);
    reporter.summary(result, 1);
    assert.ok(lines.some((l) => l.endsWith('/ci/test  attempt 1 failed (exit): exit code 1; retry 2/3 in 8s')), lines.join('\n'));
    assert.deepEqual(lines.filter((l) => l.startsWith('flaky:')), ['flaky: /ci/test passed on attempt 2/3', 'flaky: /ci/lint passed on attempt 3/3']);
  });

  it('a run with no retries has no flaky lines', async () => {
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l));
    const { result } = await runFake(pipeline('ci').exec('a', 'x'));
    reporter.summary(result, 1);
    assert.deepEqual(lines.filter((l) => l.startsWith('flaky:')), []);
  });
});
