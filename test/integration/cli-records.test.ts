// Run records on the real Docker daemon, the CLI as a subprocess: a SIGKILLed runner leaves a record that
// show reads and resume finishes (with no container left behind), and edit/reset/resume change what runs.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson, startCaisson } from '../helpers/cli.ts';
import { listLabelled, requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/caisson.js');

const caisson = runCaisson;

describe('caisson run records on Docker', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = tempProject('records-it');
  });
  afterEach(() => removeProject(dir));

  it('SIGKILL mid-run: show has the node killed, resume finishes it, no container of the run remains', async () => {
    writeFileSync(join(dir, 'sleepy.ts'), [
      "import { pipeline } from 'caisson';",
      "export default pipeline('sleepy', { image: 'busybox:latest' })",
      "  .exec('first', 'echo first done')",
      "  .exec('nap', 'echo started-nap; sleep 3; echo woke')",
      "  .exec('last', 'echo last');",
      '',
    ].join('\n'));
    const runner = startCaisson(['run', 'sleepy.ts'], dir);
    await runner.waitFor((out) => out.includes('started-nap'), 'nap never started');
    const runId = runner.stdout().match(/run (\S+) of sleepy started/)![1]!;
    runner.child.kill('SIGKILL');
    await runner.exited;
    assert.notDeepEqual(await listLabelled(`dev.caisson.run=${runId}`), [], 'a SIGKILLed runner cannot clean up its container');

    const show = caisson(dir, 'show', runId);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /├─0 first {2}done {2}attempt 1/);
    assert.match(show.stdout, /├─1 nap {2}killed {2}attempt 1 .*interrupted/);
    assert.match(show.stdout, /└─2 last {2}pending/);
    assert.match(show.stdout, /gone before the run finished/);
    assert.equal(caisson(dir, 'logs', runId, '/sleepy/nap').stdout, 'started-nap\n', 'acknowledged output survives the kill');

    const resume = caisson(dir, 'resume', runId.slice(0, 18));
    assert.equal(resume.code, 0, resume.stdout + resume.stderr);
    assert.match(resume.stdout, /\/sleepy\/nap {2}\| woke/);
    assert.doesNotMatch(resume.stdout, /\/sleepy\/first {2}\| first done/, 'done work is not redone');
    const after = caisson(dir, 'show', 'latest');
    assert.match(after.stdout, /├─1 nap {2}done {2}attempt 2/);
    assert.match(after.stdout, /└─2 last {2}done {2}attempt 1/);
    assert.equal(caisson(dir, 'logs', runId, '/sleepy/nap', '--attempt', '1').stdout, 'started-nap\n');
    assert.equal(caisson(dir, 'logs', runId, '/sleepy/nap').stdout, 'started-nap\nwoke\n');
    // The killed runner's container is an orphan: resume's runtime open() swept it, and its own are gone.
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });

  it('edit + reset + resume run the new command; attempt 1 output stays readable; a failure is reset and rerun', () => {
    writeFileSync(join(dir, 'greet.ts'), [
      "import { pipeline } from 'caisson';",
      "export default pipeline('greet', { image: 'busybox:latest' })",
      "  .exec('hello', 'echo \"hello $WHO\"', { env: { WHO: 'world' } })",
      "  .exec('check', 'echo checking; exit 4');",
      '',
    ].join('\n'));
    const run = caisson(dir, 'run', 'greet.ts');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const runId = run.stdout.match(/run (\S+) of greet started/)![1]!;

    assert.equal(caisson(dir, 'edit', runId, '/greet/hello', '--command', 'echo "bye $WHO" >&2', '--env', 'WHO=you').code, 0);
    assert.equal(caisson(dir, 'edit', runId, '/greet/check', '--command', 'echo fixed').code, 0);
    assert.equal(caisson(dir, 'reset', runId, '/greet').code, 0);
    const resume = caisson(dir, 'resume', runId);
    assert.equal(resume.code, 0, resume.stdout + resume.stderr);

    const second = caisson(dir, 'logs', runId, '/greet/hello');
    assert.equal(second.stdout, '');
    assert.equal(second.stderr, 'bye you\n');
    assert.equal(caisson(dir, 'logs', runId, '/greet/hello', '--attempt', '1').stdout, 'hello world\n');
    assert.equal(caisson(dir, 'logs', runId, '/greet/check').stdout, 'fixed\n');
    assert.equal(caisson(dir, 'logs', runId, '/greet/check', '--attempt', '1').stdout, 'checking\n');
    assert.match(caisson(dir, 'show', runId).stdout, /└─1 check {2}done {2}attempt 2/);
  });

  it('logs --follow prints a live attempt as it runs and ends when it does', async () => {
    writeFileSync(join(dir, 'ticks.ts'), [
      "import { pipeline } from 'caisson';",
      "export default pipeline('ticks', { image: 'busybox:latest' })",
      "  .exec('tick', 'echo one; sleep 2; echo two >&2; sleep 1; echo three');",
      '',
    ].join('\n'));
    const runner = startCaisson(['run', 'ticks.ts'], dir);
    await runner.waitFor((out) => out.includes('| one'), 'never started');
    const follow = spawn(process.execPath, [BIN, 'logs', 'latest', '/ticks/tick', '--follow'], { cwd: dir });
    const got = { out: '', err: '' };
    follow.stdout.on('data', (d) => { got.out += d; });
    follow.stderr.on('data', (d) => { got.err += d; });
    const code = await new Promise((resolve) => follow.on('exit', resolve));
    assert.equal(await runner.exited, 0, runner.stdout());
    assert.equal(code, 0, got.err);
    assert.equal(got.out, 'one\nthree\n');
    assert.equal(got.err, 'two\n');
  });
});
