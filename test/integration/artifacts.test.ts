/**
 * Declared artifacts on the real Docker runtime, through `caisson run` (so the run record keeps them):
 * build → test with a directory artifact (listed by show, extracted by `caisson artifact`), a 30-way
 * Parallel whose reducer reads all 30 outputs, a producer that fails, a resume in a new process
 * whose consumer still gets the artifact from the record, and the data store from shell (caisson-data).
 * Nothing is bind-mounted: every file moves through the Engine API's archive calls.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { listLabelled, requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const runIdOf = (stdout: string): string => /recorded in \S+runs\/(\S+)/.exec(stdout)?.[1] ?? assert.fail(`no run id in:\n${stdout}`);

describe('Docker runtime: declared artifacts and the data store', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => { dir = tempProject('artifacts-it'); });
  afterEach(() => removeProject(dir));

  const write = (name: string, body: string[]) => writeFileSync(join(dir, name), ["import { pipeline } from 'caisson';", ...body, ''].join('\n'));

  it('build → test: a directory output lands in the test container; show lists it; caisson artifact extracts it', async () => {
    write('ci.ts', [
      "export default pipeline('ci', { image: 'busybox:latest' })",
      "  .exec('build', 'mkdir -p dist/lib && echo app > dist/app.js && echo util > dist/lib/util.js && echo junk > junk.txt', { outputs: 'dist' })",
      "  .exec('test', 'find /work -type f | sort; cat /work/dist/lib/util.js', { reuse: 'new', inputs: { from: '/ci/build', to: '/work' } });",
    ]);
    const run = runCaisson(dir, 'run', 'ci.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const id = runIdOf(run.stdout);
    const logs = runCaisson(dir, 'logs', id, '/ci/test');
    assert.equal(logs.stdout, '/work/dist/app.js\n/work/dist/lib/util.js\nutil\n', 'only the declared output arrived');
    const show = runCaisson(dir, 'show', id);
    assert.match(show.stdout, /\/ci\/build {2}dist {2}2 files, 9 bytes {2}sha256:[0-9a-f]{12}/);
    const out = join(dir, 'out');
    const extracted = runCaisson(dir, 'artifact', id, '/ci/build', 'dist', '--out', out);
    assert.equal(extracted.code, 0, extracted.stderr);
    assert.equal(readFileSync(join(out, 'dist', 'lib', 'util.js'), 'utf8'), 'util\n');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${id}`), []);
  });

  it('inputs belong to the container\'s user (--user), who can write beside them', async () => {
    write('user.ts', [
      "export default pipeline('u', { image: 'debian:bookworm-slim' })",
      "  .exec('build', 'mkdir -p /work/dist && echo 1 > /work/dist/a', { outputs: 'dist', dockerRunArgs: ['--workdir', '/work'] })",
      "  .exec('test', 'stat -c %u dist/a && echo more > dist/b && echo wrote', { reuse: 'new', inputs: '/u/build', dockerRunArgs: ['--user', '1000', '--workdir', '/tmp'] });",
    ]);
    const run = runCaisson(dir, 'run', 'user.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(runCaisson(dir, 'logs', runIdOf(run.stdout), '/u/test').stdout, '1000\nwrote\n');
  });

  it('a 30-way Parallel: the reducer reads all 30 outputs', async () => {
    write('mr.ts', [
      "export default pipeline('mr', { image: 'busybox:latest', cpu: 0.25 })",
      "  .parallel('map', (m) => { for (let i = 1; i <= 30; i++) m = m.exec(`m${i}`, `mkdir -p out && echo ${i} > out/${i}.txt`, { outputs: `out/${i}.txt` }); return m; })",
      "  .exec('reduce', 'ls out | wc -l; cat out/*.txt | awk \"{ s += \\\\$1 } END { print s }\"', { reuse: 'new', inputs: '/mr/map' });",
    ]);
    const run = runCaisson(dir, 'run', 'mr.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const logs = runCaisson(dir, 'logs', runIdOf(run.stdout), '/mr/reduce');
    assert.deepEqual(logs.stdout.split('\n').map((l) => l.trim()), ['30', '465', ''], 'thirty files whose numbers sum to 1+…+30');
  });

  it('a producer that fails: the consumer fails with a reason naming it, and runs no command', async () => {
    write('bad.ts', [
      "export default pipeline('bad', { image: 'busybox:latest', stopOnError: false })",
      "  .exec('build', 'exit 3', { outputs: 'dist' })",
      "  .exec('test', 'echo should not run', { inputs: '/bad/build' });",
    ]);
    const run = runCaisson(dir, 'run', 'bad.ts');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const show = runCaisson(dir, 'show', runIdOf(run.stdout));
    assert.match(show.stdout, /test {2}error .*input from \/bad\/build: the producer ended error \(exit code 3\), not done/);
    assert.equal(runCaisson(dir, 'logs', runIdOf(run.stdout), '/bad/test').stdout, '');
  });

  it('a resume in a new process keeps the artifacts: the retried consumer gets them from the record', async () => {
    write('ci.ts', [
      "export default pipeline('ci', { image: 'busybox:latest' })",
      "  .exec('build', 'mkdir -p dist && echo v1 > dist/version', { outputs: 'dist' })",
      "  .exec('test', 'cat dist/version; exit 1', { inputs: '/ci/build' });",
    ]);
    const first = runCaisson(dir, 'run', 'ci.ts');
    assert.equal(first.code, 1, first.stdout + first.stderr);
    const id = runIdOf(first.stdout);
    assert.equal(runCaisson(dir, 'edit', id, '/ci/test', '--command', 'cat dist/version').code, 0);
    assert.equal(runCaisson(dir, 'retry', id, '/ci/test').code, 0);
    const resumed = runCaisson(dir, 'resume', id);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const logs = runCaisson(dir, 'logs', id, '/ci/test', '--attempt', '2');
    assert.equal(logs.stdout, 'v1\n');
    assert.equal(runCaisson(dir, 'logs', id, '/ci/build').stdout, '', 'the build did not run again');
    assert.match(runCaisson(dir, 'show', id).stdout, /build {2}done {2}attempt 1/);
  });

  it('the data store from shell: caisson-data in a stock image, across containers, users and a resume', async () => {
    write('data.ts', [
      "export default pipeline('d', { image: 'busybox:latest' })",
      "  .exec('put', 'echo hello | caisson-data put greeting && echo x | caisson-data put tmp && caisson-data delete tmp && caisson-data put nested/n </dev/null')",
      "  .exec('read', 'caisson-data get greeting; caisson-data list; caisson-data exists tmp || echo no tmp; caisson-data get nope || echo \"missing: $?\"; echo bye | caisson-data put from-user', { reuse: 'new', image: 'debian:bookworm-slim', dockerRunArgs: ['--user', '1000'] })",
      "  .exec('late', 'caisson-data get from-user; caisson-data get later', { reuse: 'new' });",
    ]);
    const run = runCaisson(dir, 'run', 'data.ts');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const id = runIdOf(run.stdout);
    assert.equal(runCaisson(dir, 'logs', id, '/d/read').stdout, 'hello\ngreeting\nnested/n\nno tmp\nmissing: 1\n');
    assert.equal(runCaisson(dir, 'logs', id, '/d/late').stdout, 'bye\n');
    // The store is in the record: a value put there now is what the resumed node reads.
    const { FolderDataStore } = await import('../../core/index.ts');
    new FolderDataStore(join(dir, '.caisson', 'runs', id)).put('later', 'from the host\n');
    assert.equal(runCaisson(dir, 'retry', id, '/d/late').code, 0);
    const resumed = runCaisson(dir, 'resume', id);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.equal(runCaisson(dir, 'logs', id, '/d/late', '--attempt', '2').stdout, 'bye\nfrom the host\n');
    assert.match(runCaisson(dir, 'show', id).stdout, /data store: 4 values \(from-user, greeting, later, nested\/n\), in \.caisson\/runs\/\S+\/data/);
  });

  it('caisson-data list succeeds after a delete of the last name it would list (in another container)', () => {
    write('list.ts', [
      "export default pipeline('l', { image: 'busybox:latest' })",
      "  .exec('put', 'echo 1 | caisson-data put a && echo 2 | caisson-data put b')",
      "  .exec('ops', 'caisson-data delete b; caisson-data list; echo list=$?', { reuse: 'new' });",
    ]);
    const run = runCaisson(dir, 'run', 'list.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(runCaisson(dir, 'logs', runIdOf(run.stdout), '/l/ops').stdout, 'a\nlist=0\n');
  });
});
