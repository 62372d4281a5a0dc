// The record commands driven as a subprocess on the fake runtime: runs, show, logs, reset/skip/edit, resume.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, RunRecorder, RunStore, compile, image, pipeline, readOutput, type RunMeta } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider, placeholderImages } from '../../../plugins/runtime-fake/index.ts';
import { runCaisson } from '../../helpers/cli.ts';
import { removeProject, tempProject } from '../../helpers/temp-project.ts';

const ROOT = join(import.meta.dirname, '../../..');

const caisson = runCaisson;

/** A record made by the library itself: scripted output per attempt, and a chosen runner pid. */
async function recordWithOutput(dir: string, runId: string, opts: { runnerPid?: number; built?: boolean } = {}) {
  const root = opts.built ? pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], name: 'tools' }) }) : pipeline('p');
  const ir = compile(root.exec('a', 'echo a').exec('b', 'echo b'));
  const meta: RunMeta = { version: 1, runId, pipeline: 'p', file: join(dir, 'p.ts'), exportName: 'default', runtime: 'fake', createdAt: Date.now() };
  const record = new RunStore(join(dir, '.caisson/runs')).create(meta, ir);
  const fake = new FakeRuntimeProvider().script('/p/a', [{ stdout: 'first out\n', stderr: 'first err\n', exitCode: 1 }, { stdout: 'second out\n' }]);
  const engine = new Engine(fake, fake.clock);
  for (let i = 0; i < 2; i++) {
    const run = engine.createRun(ir, { runId, initial: record.replay().statuses, images: placeholderImages(ir) });
    if (i === 1) run.reset('/p/a');
    const recorder = new RunRecorder(run, record, 'run');
    await run.start();
    recorder.close();
  }
  if (opts.runnerPid !== undefined) {
    // As if that process were now running it, without having finished.
    const log = record.openLog();
    log.append({ type: 'runner', at: Date.now(), pid: opts.runnerPid, host: (await import('node:os')).hostname(), command: 'run' });
    log.close();
  }
  return record;
}

describe('caisson record commands', function () {
  this.timeout(60_000);
  let dir: string;
  const cacheBefore = process.env.CAISSON_CACHE_DIR;
  beforeEach(() => {
    dir = tempProject('records');
    // The per-user run index lives in the cache: one per test, so tests see only their own runs.
    process.env.CAISSON_CACHE_DIR = join(dir, 'cache');
  });
  afterEach(() => {
    removeProject(dir);
    if (cacheBefore === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = cacheBefore;
  });

  it('run records next to the file; runs lists it and show prints the tree with attempts', () => {
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'failing.ts'));
    const run = caisson(dir, 'run', 'failing.ts', '--runtime', 'fake');
    assert.equal(run.code, 0, run.stderr);
    const id = run.stdout.match(/run (\S+) of failing started/)![1]!;

    const runs = caisson(dir, 'runs');
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, new RegExp(`^${id} +failing +done +P 0 {2}Q 0 {2}R 0 {2}D 4 {2}E 0 {2}K 0`, 'm'));

    const show = caisson(ROOT, 'show', id.slice(0, 17), '--dir', dir);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /├─1 broken {2}done {2}attempt 1 /);
    assert.match(show.stdout, /runner pid \d+ .*: finished/);
    assert.match(show.stdout, /^DONE {2}P 0/m);
  });

  it('run records privately: .caisson, its runs and every folder 0700, every file 0600, under a permissive umask', () => {
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'failing.ts'));
    const r = spawnSync('sh', ['-c', `umask 000 && "${process.execPath}" "${join(ROOT, 'bin/caisson.js')}" run failing.ts --runtime fake`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const walk = (p: string): string[] => (statSync(p).isDirectory() ? [p, ...readdirSync(p).flatMap((n) => walk(join(p, n)))] : [p]);
    const paths = walk(join(dir, '.caisson'));
    assert.ok(paths.some((p) => p.endsWith('events.jsonl')) && paths.some((p) => p.endsWith('meta.json')));
    for (const p of paths) assert.equal(statSync(p).mode & 0o777, statSync(p).isDirectory() ? 0o700 : 0o600, p);
  });

  it('run says where it recorded; show finds that run from where it was started, and by id from anywhere', () => {
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'failing.ts'));
    const old = caisson(dir, 'run', 'failing.ts', '--runtime', 'fake').stdout.match(/run (\S+) of/)![1]!;
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'sub/p.ts'));
    const run = caisson(dir, 'run', 'sub/p.ts', '--runtime', 'fake');
    assert.equal(run.code, 0, run.stderr);
    const id = run.stdout.match(/run (\S+) of/)![1]!;
    assert.notEqual(id, old);
    assert.equal(run.stdout.trim().split('\n').pop(), `recorded in sub/.caisson/runs/${id} (caisson show ${id} --dir sub)`);
    assert.match(caisson(dir, 'run', 'failing.ts', '--runtime', 'fake').stdout, /^recorded in \.caisson\/runs\/\S+ \(caisson show \S+\)$/m);

    // In the folder it was started from, the run recorded in sub/ counts among this folder's runs.
    const runs = caisson(dir, 'runs');
    assert.match(runs.stdout, new RegExp(`^${id} +failing +done .* sub/\\.caisson/runs$`, 'm'));
    assert.match(runs.stdout, new RegExp(`^${old} +failing +done .* \\.caisson/runs$`, 'm'));
    assert.match(caisson(dir, 'show', id.slice(0, 17)).stdout, new RegExp(`^run ${id} of failing \\(sub/p\\.ts`, 'm'));

    // From an unrelated folder: by id through the per-user index, and a pointer when nothing is there.
    const elsewhere = tempProject('records-elsewhere');
    try {
      const show = caisson(elsewhere, 'show', id);
      assert.equal(show.code, 0, show.stderr);
      assert.match(show.stdout, new RegExp(`^run ${id} of failing`, 'm'));
      assert.equal(caisson(elsewhere, 'logs', id, '/failing/ok').code, 0);
      const latest = caisson(elsewhere, 'show');
      assert.equal(latest.code, 2);
      assert.match(latest.stderr, /no runs recorded under .*; the latest runs recorded elsewhere: \S+ \(failing\) in .*records-\S+, .*\(caisson show \S+ finds one anywhere\)/);
      assert.match(caisson(elsewhere, 'runs').stdout, new RegExp(`^no runs recorded under \\.caisson/runs\nthe latest runs recorded elsewhere .*\n(  \\S+  failing  in .*\n)*  ${id}  failing  in .*/sub$`, 'm'));
      // A deleted folder's runs are forgotten, not errors.
      rmSync(join(dir, 'sub'), { recursive: true });
      const gone = caisson(elsewhere, 'show', id);
      assert.equal(gone.code, 2);
      assert.match(gone.stderr, new RegExp(`no run "${id}" under`));
      assert.match(caisson(dir, 'show').stdout, /^run \S+ of failing \(failing\.ts/m);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('logs prints one attempt with stdout and stderr apart; earlier attempts stay readable', async () => {
    const record = await recordWithOutput(dir, 'r-logs');
    const latest = caisson(dir, 'logs', 'latest', '/p/a');
    assert.equal(latest.code, 0, latest.stderr);
    assert.equal(latest.stdout, 'second out\n');
    const first = caisson(dir, 'logs', 'r-logs', 'p/a', '--attempt', '1');
    assert.equal(first.stdout, 'first out\n');
    assert.equal(first.stderr, 'first err\n');
    assert.deepEqual(readOutput(record.dir, '/p/a', 1).map((c) => c.stream), ['stdout', 'stderr']);
    const none = caisson(dir, 'logs', 'r-logs', '/p/a', '--attempt', '3');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /\/p\/a in run r-logs has attempts 1\.\.2; --attempt 3 does not exist/);
  });

  it('edit and reset change that run only; resume runs them again with attempts continuing', () => {
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'failing.ts'));
    const before = readFileSync(join(dir, 'failing.ts'), 'utf8');
    const id = caisson(dir, 'run', 'failing.ts', '--runtime', 'fake').stdout.match(/run (\S+) of/)![1]!;

    const edit = caisson(dir, 'edit', id, '/failing/ok', '--command', 'echo edited', '--env', 'A=1', '--env', 'B=x=y');
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(edit.stdout, /it is done: caisson reset/);
    assert.equal(caisson(dir, 'reset', id, '/failing/ok').code, 0);
    assert.equal(caisson(dir, 'skip', id, '/failing/never').code, 0);
    const pending = caisson(dir, 'show', id);
    assert.match(pending.stdout, /├─0 ok {2}pending/);
    assert.match(pending.stdout, /└─2 never {2}done \(skipped\)/);

    const resume = caisson(dir, 'resume', id);
    assert.equal(resume.code, 0, resume.stdout + resume.stderr);
    assert.match(resume.stdout, /\/failing\/ok {2}done/);
    assert.doesNotMatch(resume.stdout, /\/failing\/broken {2}done/, 'a done node does not run again');
    const after = caisson(dir, 'show', id);
    assert.match(after.stdout, /├─0 ok {2}done {2}attempt 2 /);
    assert.match(after.stdout, /├─1 broken {2}done {2}attempt 1 /);

    const ir = JSON.parse(readFileSync(join(dir, '.caisson/runs', id, 'ir.json'), 'utf8'));
    assert.equal(ir.root.children[0].command, 'echo edited');
    assert.deepEqual(ir.root.children[0].env, { A: '1', B: 'x=y' });
    assert.equal(ir.root.children[2].skip, true);
    assert.equal(readFileSync(join(dir, 'failing.ts'), 'utf8'), before, 'the user\'s file is unchanged');
    const ops = readFileSync(join(dir, '.caisson/runs', id, 'events.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l)).filter((e) => e.type === 'control').map((e) => e.op);
    assert.deepEqual(ops, ['edit', 'reset', 'skip']);
  });

  it('unskip clears a skip, in the run and in its copy of the IR: resume then runs the node', () => {
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'failing.ts'));
    const id = caisson(dir, 'run', 'failing.ts', '--runtime', 'fake').stdout.match(/run (\S+) of/)![1]!;
    assert.equal(caisson(dir, 'reset', id, '/failing/never').code, 0);
    assert.equal(caisson(dir, 'skip', id, '/failing/never').code, 0);
    assert.match(caisson(dir, 'show', id).stdout, /└─2 never {2}pending \(skipped\)/);
    assert.doesNotMatch(caisson(dir, 'resume', id).stdout, /\/failing\/never {2}done/, 'resume ran a skipped node');
    const unskip = caisson(dir, 'unskip', id, '/failing/never');
    assert.equal(unskip.code, 0, unskip.stderr);
    assert.match(unskip.stdout, new RegExp(`^unskip /failing/never: now pending; caisson resume ${id} runs what is pending$`, 'm'));
    assert.match(caisson(dir, 'show', id).stdout, /└─2 never {2}pending/);
    const ir = JSON.parse(readFileSync(join(dir, '.caisson/runs', id, 'ir.json'), 'utf8'));
    assert.equal(ir.root.children[2].skip, false, 'ir.json still says skip');
    const resume = caisson(dir, 'resume', id);
    assert.equal(resume.code, 0, resume.stdout + resume.stderr);
    assert.match(resume.stdout, /\/failing\/never {2}done/);
    assert.match(caisson(dir, 'show', id).stdout, /└─2 never {2}done {2}attempt 2 /);
  });

  it('a run whose runner died shows its running node killed, and resume finishes it', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const record = await recordWithOutput(dir, 'r-dead');
    const log = record.openLog();
    log.append({ type: 'runner', at: Date.now(), pid: dead, host: (await import('node:os')).hostname(), command: 'run' });
    log.append({ type: 'state', at: 1, path: '/p/b', state: 'running', previous: 'pending', skipped: false, attempt: 2 });
    log.close();
    const show = caisson(dir, 'show', 'r-dead');
    assert.match(show.stdout, /└─1 b {2}killed {2}attempt 2 .*interrupted/);
    assert.match(show.stdout, /runner pid \d+ .*gone before the run finished/);
    assert.match(caisson(dir, 'runs').stdout, /r-dead +p +error \(runner gone\)/);

    const resume = caisson(dir, 'resume', 'r-dead');
    assert.equal(resume.code, 0, resume.stdout + resume.stderr);
    assert.match(caisson(dir, 'show', 'r-dead').stdout, /└─1 b {2}done {2}attempt 3 /);
  });

  it('resume refuses a run whose runner is alive (control actions go to that runner instead)', async () => {
    await recordWithOutput(dir, 'r-live', { runnerPid: process.pid });
    const r = caisson(dir, 'resume', 'r-live');
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`cannot resume run r-live: it is being run by pid ${process.pid}`));
    assert.match(caisson(dir, 'show', 'r-live').stdout, /runner pid \d+ .*: running/);
  });

  it('rebuild of a built image resets the nodes that use it (the fake runtime builds nothing)', async () => {
    await recordWithOutput(dir, 'r-img', { built: true });
    const r = caisson(dir, 'rebuild', 'r-img');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rebuilt image "tools" \(the fake runtime uses no images: nothing built\); reset 2 nodes using it: \/p\/a, \/p\/b; caisson resume r-img runs them/);
    assert.match(caisson(dir, 'show', 'r-img').stdout, /├─0 a {2}pending/);
    assert.equal(caisson(dir, 'resume', 'r-img').code, 0);
    assert.match(caisson(dir, 'show', 'r-img').stdout, /├─0 a {2}done {2}attempt 3/);
  });

  it('rebuild of a run whose only image is a plain reference says there is nothing to rebuild and resets nothing', async () => {
    await recordWithOutput(dir, 'r-plain');
    const r = caisson(dir, 'rebuild', 'r-plain');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'image "caisson-default" is a plain reference (debian:bookworm-slim): nothing to rebuild; no node was reset\n');
    assert.match(caisson(dir, 'show', 'r-plain').stdout, /├─0 a {2}done {2}attempt 2/);
  });

  it('logs prints a capped attempt: the head and the last part on stdout, the cap markers on stderr; binary output byte for byte', async () => {
    const ir = compile(pipeline('p').exec('a', 'x').exec('bin', 'x'));
    const meta: RunMeta = { version: 1, runId: 'r-cap', pipeline: 'p', file: join(dir, 'p.ts'), exportName: 'default', runtime: 'fake', createdAt: Date.now() };
    const record = new RunStore(join(dir, '.caisson/runs')).create(meta, ir);
    const binary = `\u0000\u0001\u00ff${'\u0000'.repeat(2000)}é\n`;
    const fake = new FakeRuntimeProvider().script('/p/a', { stdout: `${'h'.repeat(3000)}${'m'.repeat(5000)}${'t'.repeat(1000)}` }).script('/p/bin', { stdout: binary });
    const run = new Engine(fake, fake.clock).createRun(ir, { runId: 'r-cap' });
    const recorder = new RunRecorder(run, record, 'run', undefined, { cap: 4000 });
    await run.start();
    recorder.close();
    const r = caisson(dir, 'logs', 'r-cap', '/p/a');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${'h'.repeat(3000)}${'t'.repeat(1000)}`);
    assert.match(r.stderr, /reached the log cap \(4000 bytes\).*CAISSON_LOG_CAP=0/);
    assert.match(r.stderr, /5000 bytes of output were not recorded, past the log cap of 4000 bytes; the last 1000 bytes follow/);
    const bin = spawnSync(process.execPath, [join(ROOT, 'bin/caisson.js'), 'logs', 'r-cap', '/p/bin'], { cwd: dir });
    assert.equal(bin.status, 0, String(bin.stderr));
    assert.deepEqual(bin.stdout, Buffer.from(binary, 'utf8'));
  });

  it('CAISSON_LOG_CAP must be a size: anything else is one error before the run starts', () => {
    copyFileSync(join(ROOT, 'test/fixtures/cli/failing.ts'), join(dir, 'failing.ts'));
    process.env.CAISSON_LOG_CAP = 'lots';
    try {
      const r = caisson(dir, 'run', 'failing.ts', '--runtime', 'fake');
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr, 'caisson: CAISSON_LOG_CAP: expected a size like 50MB, 200kB or 0 (no cap), got "lots"\n');
      process.env.CAISSON_LOG_CAP = '1.5MB';
      assert.equal(caisson(dir, 'run', 'failing.ts', '--runtime', 'fake').code, 0);
    } finally {
      delete process.env.CAISSON_LOG_CAP;
    }
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['an unknown run', ['show', 'r-nope'], /no run "r-nope" under .*; closest: r-(one|two), r-(one|two) \(caisson runs lists them\)/],
    ['an ambiguous prefix', ['show', 'r-'], /run "r-" is ambiguous: it starts 2 run ids/],
    ['an unknown node path', ['logs', 'r-one', '/p/x'], /run r-one has no node \/p\/x; closest: /],
    ['an unknown image', ['rebuild', 'r-one', 'nope'], /run r-one has no image "nope"/],
    ['edit of a container', ['edit', 'r-one', '/p', '--command', 'x'], /cannot edit \/p: it is a serial/],
    ['a bad --env', ['edit', 'r-one', '/p/a', '--env', 'novalue'], /--env novalue: expected NAME=VALUE/],
  ];
  for (const [what, args, message] of bad) {
    it(`${what}: one line naming it, exit 2`, async () => {
      await recordWithOutput(dir, 'r-one');
      await recordWithOutput(dir, 'r-two');
      const r = caisson(dir, ...args);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }
});
