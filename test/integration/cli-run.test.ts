// `caisson run` as a subprocess on the real Docker daemon: exit codes, the failure summary, and Ctrl-C.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { listLabelled, requireDocker } from '../helpers/docker.ts';
import { startCaisson } from '../helpers/cli.ts';
import { copyFromCheckout, removeProject, tempProject } from '../helpers/temp-project.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/caisson.js');

describe('caisson run on Docker', function () {
  this.timeout(120_000);
  // Copies in a temp project, at the checkout's relative paths: runs record next to the pipeline file.
  let dir: string;
  before(async function () {
    await requireDocker(this);
    dir = tempProject('cli-run');
    copyFromCheckout(dir, 'examples/hello.ts', 'examples/custom-image-provider', 'test/fixtures/cli');
  });
  after(() => { if (dir) removeProject(dir); });

  it('runs the quick-start example: exit 0, every node done, real output', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'examples/hello.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/hello\/greet {2}\| Hello from [0-9a-f]{12}/);
    assert.match(r.stdout, /\/hello\/fan-out\/two {2}\| two: argv, no shell/);
    assert.match(r.stdout, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 7 {2}E 0 {2}K 0/m);
  });

  it("registers a pipeline file's plugins: a custom image kind builds and runs", () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'examples/custom-image-provider/pipeline.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/custom-image\/show {2}\| greeting=hello/);
  });

  it('a failing node: exit 1, later nodes left pending, the tail of its output printed', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'test/fixtures/cli/failing.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^ERROR {2}P 1 {2}Q 0 {2}R 0 {2}D 1 {2}E 2 {2}K 0/m, 'root and broken in error, never pending');
    // The tail ends at the blank line before "recorded in …".
    const tail = r.stdout.split('── /failing/broken error (exit 3) ── last output:\n')[1]?.split('\n\n')[0];
    assert.ok(tail, r.stdout);
    // stdout and stderr are separate streams, so their relative order is not defined.
    assert.deepEqual(tail.trim().split('\n').sort(), ['about to fail', 'bad thing']);
    assert.doesNotMatch(r.stdout, /\| never/);
  });

  it('Ctrl-C cancels: running nodes killed, exit 130, no container left', async () => {
    const runner = startCaisson(['run', 'test/fixtures/cli/slow.ts'], dir);
    await runner.waitFor((out) => out.includes('started-a') && out.includes('started-b'), 'nodes never started');
    const runId = runner.stdout().match(/run (\S+) of slow started/)![1]!;
    runner.child.kill('SIGINT');
    const code = await runner.exited;
    const stdout = runner.stdout();
    assert.equal(code, 130, stdout);
    assert.match(stdout, /\/slow\/wait\/a {2}killed: cancelled/);
    assert.match(stdout, /^ERROR .*P 1 .*K 2/m);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });
});
