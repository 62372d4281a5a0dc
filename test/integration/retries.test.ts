/**
 * Retries on the real Docker runtime: an OOM node failed by default (with the raise-mem hint) and
 * retried by a rule; infra failures retried: a container removed from outside mid-command, and an
 * image missing at first that a later attempt finds.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaisson } from '../helpers/cli.ts';
import { compile, Engine, pipeline, RAISE_MEM_HINT, type RetryEvent, type RunEvent, type StateEvent } from '../../core/index.ts';
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { docker, listLabelled, requireDocker, uniqueRunId } from '../helpers/docker.ts';
import { runOnDocker } from './support/engine-run.ts';

const retries = (events: RunEvent[]) => events.filter((e): e is RetryEvent => e.type === 'retry');
const last = (events: RunEvent[], path: string) => events.filter((e): e is StateEvent => e.type === 'state' && e.path === path).pop()!;

describe('Docker runtime: retries', function () {
  this.timeout(120_000);
  before(async function () { await requireDocker(this); });

  it('an OOM node fails by default, once, with the hint to raise mem', async () => {
    const run = await runOnDocker(pipeline('oom', { image: 'busybox:latest' }).exec('hog', 'head -c 200m /dev/zero | tail', { mem: 0.05 }));
    const s = last(run.events, '/oom/hog');
    assert.deepEqual([s.state, s.failure, s.attempt], ['killed', 'oom', 1]);
    assert.equal(s.reason, `out of memory (mem=0.05 GB); ${RAISE_MEM_HINT}`);
    assert.deepEqual(retries(run.events), []);
  });

  it('an OOM node is retried when a rule says so; each attempt is classified oom and has its own container', async () => {
    const run = await runOnDocker(pipeline('oom', { image: 'busybox:latest' })
      .exec('hog', 'head -c 200m /dev/zero | tail', { mem: 0.05, retry: { attempts: 2, backoff: { initial: 0 }, rules: [{ failure: 'oom', action: 'retry' }] } }));
    assert.deepEqual(retries(run.events).map((r) => [r.failed, r.failure, r.attempt, r.of]), [[1, 'oom', 2, 2]]);
    const s = last(run.events, '/oom/hog');
    assert.deepEqual([s.state, s.failure, s.attempt], ['killed', 'oom', 2]);
    const containers = run.events.filter((e) => e.type === 'container' && e.path === '/oom/hog').map((e) => e.type === 'container' && e.containerId);
    assert.equal(new Set(containers).size, 2, 'an OOM-killed container is not reused');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${run.runId}`), []);
  });

  it('infra, by default: a container removed from outside mid-command is retried, and the retry passes', async () => {
    const engine = new Engine(new DockerRuntimeProvider());
    const runId = uniqueRunId('retry-rm');
    const run = engine.createRun(compile(pipeline('infra', { image: 'busybox:latest' }).exec('job', 'echo started; sleep 3; echo finished')), { runId });
    const events: RunEvent[] = [];
    let removed = false;
    run.on((e) => {
      events.push(e);
      if (!removed && e.type === 'output' && e.path === '/infra/job' && e.attempt === 1 && e.data.includes('started')) {
        removed = true;
        const container = events.find((x) => x.type === 'container' && x.attempt === 1);
        if (container?.type === 'container') void docker.getContainer(container.containerId).remove({ force: true });
      }
    });
    const result = await run.start();
    assert.ok(removed, 'the first attempt started');
    const [retry] = retries(events);
    assert.equal(retry?.failure, 'infra', JSON.stringify(retry));
    assert.match(retry!.reason, /stopped while running \/infra\/job|container is gone/);
    assert.deepEqual([result.state, run.status('/infra/job').attempt, run.status('/infra/job').retry?.attempt], ['done', 2, 2]);
    const out = events.filter((e) => e.type === 'output' && e.attempt === 2).map((e) => e.type === 'output' && e.data).join('');
    assert.equal(out, 'started\nfinished\n');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });

  it('infra: an image missing at first is found by the retry', async () => {
    const tag = `caisson/retry-late-${process.pid}:${Date.now().toString(36)}`;
    const engine = new Engine(new DockerRuntimeProvider({ pullTimeoutMs: 10_000 }));
    const run = engine.createRun(compile(pipeline('late', { image: tag, retry: { attempts: 2, backoff: { initial: 1, jitter: 0 } } }).exec('x', 'echo here')), { runId: uniqueRunId('retry-img') });
    const events: RunEvent[] = [];
    run.on((e) => {
      events.push(e);
      if (e.type === 'retry') execFileSync('docker', ['tag', 'busybox:latest', tag]);
    });
    try {
      const result = await run.start();
      assert.deepEqual(retries(events).map((r) => [r.failure, r.attempt]), [['infra', 2]]);
      assert.match(retries(events)[0]!.reason, /is not present locally/);
      assert.equal(result.state, 'done');
    } finally {
      try { execFileSync('docker', ['image', 'rm', tag], { stdio: 'ignore' }); } catch { /* not tagged: the test failed earlier */ }
    }
  });

  it('caisson run: a lone node waiting for its retry keeps the process alive; the summary names the flaky node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-retry-cli-'));
    const tag = `caisson/retry-cli-${process.pid}:${Date.now().toString(36)}`;
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
      // No container exists during the wait (the image is missing), so only the retry's timer holds the process.
      writeFileSync(join(dir, 'flaky.ts'), `
import { pipeline } from ${JSON.stringify(join(import.meta.dirname, '../../core/index.ts'))};
export default pipeline('flaky', { image: ${JSON.stringify(tag)} })
  .exec('test', 'echo passed', { retry: { attempts: 3, backoff: { initial: 3, jitter: 0 } } });
`);
      const runner = startCaisson(['run', '--no-typecheck', 'flaky.ts'], dir, { NO_COLOR: '1' });
      await runner.waitFor((out) => out.includes('retry 2/3 in 3s'), 'no retry was scheduled');
      execFileSync('docker', ['tag', 'busybox:latest', tag]);
      const code = await runner.exited;
      const both = `stdout:\n${runner.stdout()}\nstderr:\n${runner.stderr()}`;
      assert.equal(code, 0, both);
      assert.match(runner.stdout(), /\/flaky\/test {2}attempt 1 failed \(infra\): .*is not present locally.*; retry 2\/3 in 3s/, both);
      assert.match(runner.stdout(), /^flaky: \/flaky\/test passed on attempt 2\/3$/m, both);
    } finally {
      try { execFileSync('docker', ['image', 'rm', tag], { stdio: 'ignore' }); } catch { /* never tagged */ }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
