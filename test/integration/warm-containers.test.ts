/**
 * Warm containers on Docker, through the CLI as a user runs it: while a Serial's Exec runs, the
 * container of the next `reuse: "new"` Exec is already created and started, and nothing of it is left
 * behind after a normal end, a failure, Ctrl-C, or a SIGKILL followed by a later run's sweep.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson, startCaisson, type RunningCaisson } from '../helpers/cli.ts';
import { docker, listLabelled, requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

/** `a` prints, then sleeps long enough for the test to look (and ends with `exit`); `b` and `c` print. */
const pipelineFile = (exit: number, sleep: number) => `import { pipeline } from 'caisson';
export default pipeline('warm', { image: 'busybox:latest' })
  .exec('a', 'echo started-a; sleep ${sleep}; exit ${exit}', { reuse: 'new' })
  .exec('b', 'echo ran-b', { reuse: 'new' })
  .exec('c', 'echo ran-c', { reuse: 'new' });
`;

const runIdOf = (r: RunningCaisson): string => r.stdout().match(/run (\S+) of warm started/)![1]!;

/** Containers of the run, with their state ("running" for a started one). */
const containersOf = async (runId: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`dev.caisson.run=${runId}`] } })).map((c) => ({ id: c.Id, state: c.State }));

/** Polls until the run has `n` running containers (a's and the warm one for b). */
async function untilRunning(runId: string, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const running = (await containersOf(runId)).filter((c) => c.state === 'running');
    if (running.length === n) return;
    if (Date.now() > deadline) assert.fail(`expected ${n} running containers of ${runId}, saw ${JSON.stringify(running)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts `caisson run FILE` and resolves once a runs with b's container warm beside it. */
async function startWarm(dir: string, file: string): Promise<{ runner: RunningCaisson; runId: string }> {
  const runner = startCaisson(['run', file], dir, { ...process.env, NO_COLOR: '1' });
  await runner.waitFor((out) => /run \S+ of warm started/.test(out), 'the run never started');
  const runId = runIdOf(runner);
  await untilRunning(runId, 2);
  return { runner, runId };
}

describe('Docker: warm containers (a Serial\'s next fresh container is made while the current Exec runs)', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () {
    await requireDocker(this);
    dir = tempProject('warm');
    writeFileSync(join(dir, 'ok.ts'), pipelineFile(0, 3));
    writeFileSync(join(dir, 'fail.ts'), pipelineFile(1, 3));
    writeFileSync(join(dir, 'slow.ts'), pipelineFile(0, 300));
  });
  after(() => { if (dir) removeProject(dir); });

  it('a normal end: b\'s container is running while a runs; every Exec ran in its own container; none is left', async () => {
    const { runner, runId } = await startWarm(dir, 'ok.ts');
    assert.equal(await runner.exited, 0, runner.stdout() + runner.stderr());
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
    // Isolation holds: three Execs, three containers (the record's container events name each one's).
    const events = readFileSync(join(dir, '.caisson/runs', runId, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; path?: string; containerId?: string });
    const byPath = new Map(events.filter((e) => e.type === 'container').map((e) => [e.path, e.containerId]));
    assert.deepEqual([...byPath.keys()].sort(), ['/warm/a', '/warm/b', '/warm/c']);
    assert.equal(new Set(byPath.values()).size, 3);
  });

  it('a failure stops the Serial: the container warmed for b is removed with the rest', async () => {
    const { runner, runId } = await startWarm(dir, 'fail.ts');
    assert.equal(await runner.exited, 1);
    assert.doesNotMatch(runner.stdout(), /ran-b/);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });

  it('Ctrl-C while a runs removes a\'s container and the warm one', async () => {
    const { runner, runId } = await startWarm(dir, 'slow.ts');
    runner.child.kill('SIGINT');
    assert.equal(await runner.exited, 130);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });

  it('after a SIGKILL both are left, and the next run\'s start sweeps them', async () => {
    const { runner, runId } = await startWarm(dir, 'slow.ts');
    runner.child.kill('SIGKILL');
    await runner.exited;
    assert.equal((await listLabelled(`dev.caisson.run=${runId}`)).length, 2, 'SIGKILL gives the runner no chance to clean up');
    const next = runCaisson(dir, 'run', 'ok.ts');
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });
});
