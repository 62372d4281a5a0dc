/**
 * Pipelines on the real Docker runtime through the engine: states, output events, maxTime, OOM, a
 * missing image, and a SIGKILLed runner whose containers the next start sweeps.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pipeline, type RunEvent } from '../../core/index.ts';
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { listLabelled, requireDocker, uniqueRunId } from '../helpers/docker.ts';
import { runOnDocker } from './support/engine-run.ts';
import { debugOutput } from '../helpers/debug-capture.ts';

const stateOf = (events: RunEvent[], path: string) =>
  (events.filter((e) => e.type === 'state' && e.path === path).pop() as Extract<RunEvent, { type: 'state' }> | undefined);

describe('Docker runtime: pipelines through the engine', function () {
  this.timeout(120_000);
  before(async function () { await requireDocker(this); });

  it('exit 0 is done, non-zero is error with the exit code; output arrives as separate stream events', async () => {
    const p = pipeline('states', { image: 'busybox:latest', stopOnError: false })
      .exec('ok', 'echo to-out; echo to-err >&2')
      .exec('fails', 'echo partial; exit 7');
    const run = await runOnDocker(p);
    assert.equal(stateOf(run.events, '/states/ok')?.state, 'done');
    const failed = stateOf(run.events, '/states/fails')!;
    assert.equal(failed.state, 'error');
    assert.equal(failed.exitCode, 7);
    assert.equal(run.stdoutOf('/states/ok'), 'to-out\n');
    const err = run.events.filter((e) => e.type === 'output' && e.path === '/states/ok' && e.stream === 'stderr');
    assert.deepEqual(err.map((e) => (e as { data: string }).data).join(''), 'to-err\n');
    assert.equal(run.stdoutOf('/states/fails'), 'partial\n');
  });

  it('CAISSON_DEBUG=docker shows the Docker calls of a run: ping, create, each command and how it ended, remove', async () => {
    let runId = '';
    const out = await debugOutput({ CAISSON_DEBUG: 'docker' }, async () => {
      ({ runId } = await runOnDocker(pipeline('dbg', { image: 'busybox:latest' }).exec('hi', 'echo hi; exit 3')));
    });
    const created = new RegExp(`caisson:docker create container run=${runId} group=global image=busybox:latest cpu=1 mem=2 name=caisson-${runId}-global-`);
    for (const line of [/caisson:docker ping daemon=/, new RegExp(`caisson:docker opened run=${runId} `), created, /caisson:docker run command container=\w{12} path=\/dbg\/hi attempt=1/,
      /caisson:docker command ended container=\w{12} path=\/dbg\/hi status=3/, /caisson:docker remove container id=\w{12}/, /caisson:docker close run=/]) {
      assert.match(out, line);
    }
    assert.doesNotMatch(out, /caisson:engine/, 'only the namespace asked for');
  });

  it('maxTime kills the command: state killed, reason "max time exceeded"', async () => {
    const started = Date.now();
    const run = await runOnDocker(pipeline('timeout', { image: 'busybox:latest' }).exec('slow', 'sleep 60', { maxTime: 1 }));
    const s = stateOf(run.events, '/timeout/slow')!;
    assert.equal(s.state, 'killed');
    assert.equal(s.reason, 'max time exceeded');
    assert.ok(Date.now() - started < 30_000, 'the run did not wait for sleep 60');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${run.runId}`), []);
  });

  it('an out-of-memory kill says so, with the memory limit', async () => {
    const run = await runOnDocker(pipeline('oom', { image: 'busybox:latest' }).exec('hog', 'head -c 200m /dev/zero | tail', { mem: 0.05 }));
    const s = stateOf(run.events, '/oom/hog')!;
    assert.equal(s.state, 'killed');
    assert.equal(s.reason, "out of memory (mem=0.05 GB); raise the node's mem option to give it more memory");
  });

  it('a missing image fails the node with a message naming the image', async () => {
    const run = await runOnDocker(pipeline('noimage', { image: 'caisson-missing-image:1' }).exec('x', 'true'));
    const s = stateOf(run.events, '/noimage/x')!;
    assert.equal(s.state, 'error');
    assert.match(s.reason ?? '', /image "caisson-missing-image:1" is not present locally and could not be pulled/);
  });

  it('a runner SIGKILLed mid-pipeline leaves zero containers of its run after the next start', async () => {
    const runId = uniqueRunId('eng-sigkill');
    const script = fileURLToPath(new URL('./support/run-long-pipeline.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, runId], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('running\n')) resolve(); });
      child.on('exit', (c) => reject(new Error(`runner exited early (${c})`)));
    });
    assert.ok((await listLabelled(`dev.caisson.run=${runId}`)).length >= 2, 'the pipeline holds containers');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });
});
