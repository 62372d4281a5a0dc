// The result cache through `caisson run` on Docker: a cached node is skipped on a rerun (no container,
// its earlier output in its log), and runs again once one of its input files changes, with `caisson why`
// naming the file. The command appends to a bind-mounted file, so "did it run" is read from the host.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';

describe('result cache on Docker (caisson run)', function () {
  this.timeout(180_000);
  let dir: string;
  let savedCacheDir: string | undefined;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-cache-it-'));
    savedCacheDir = process.env.CAISSON_CACHE_DIR;
    process.env.CAISSON_CACHE_DIR = join(dir, 'cache');
  });
  afterEach(() => {
    if (savedCacheDir === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = savedCacheDir;
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips a cached node on rerun, runs it again after an input file changes, and why names the file', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, 'out'));
    writeFileSync(join(project, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(project, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(project, 'src', 'b.ts'), 'export const b = 1;\n');
    writeFileSync(join(project, 'pipeline.ts'), `
import { pipeline } from ${JSON.stringify(join(import.meta.dirname, '../../core/index.ts'))};
export default pipeline('ci', { image: 'busybox:latest' })
  .exec('build', 'echo ran >> /out/runs.log; cat /src/a.ts', {
    cache: { inputs: ['src/**/*.ts'] },
    dockerRunArgs: ['-v', './src:/src:ro', '-v', './out:/out'],
  })
  .exec('after', 'echo after');
`);
    const run = () => {
      const r = runCaisson(project, 'run', '--no-typecheck', 'pipeline.ts');
      assert.equal(r.code, 0, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
      return r.stdout;
    };
    const runs = () => readFileSync(join(project, 'out', 'runs.log'), 'utf8').split('\n').filter(Boolean).length;
    const latestRun = () => readdirSync(join(project, '.caisson', 'runs')).sort().at(-1)!;
    const containerEvents = (id: string) => readFileSync(join(project, '.caisson', 'runs', id, 'events.jsonl'), 'utf8')
      .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; path?: string }).filter((e) => e.type === 'container' && e.path === '/ci/build');

    const first = run();
    assert.equal(runs(), 1);
    assert.match(first, /\/ci\/build {2}\| export const a = 1;/);
    const firstId = latestRun();

    const second = run();
    assert.equal(runs(), 1, 'the cached node did not run its command again');
    assert.match(second, new RegExp(`/ci/build {2}done \\(cached\\) from run ${firstId}`));
    const secondId = latestRun();
    assert.deepEqual(containerEvents(secondId), [], 'no container for a cache hit');
    const logs = runCaisson(project, 'logs', secondId, '/ci/build');
    assert.equal(logs.stdout, 'export const a = 1;\n', 'the hit carries the earlier output');
    assert.match(logs.stderr, /was a cache hit/);
    const show = runCaisson(project, 'show', secondId);
    assert.match(show.stdout, /build {2}done \(cached\) {2}from run /);
    assert.match(runCaisson(project, 'why', secondId, '/ci/build').stdout, /cache hit: the result stored by run /);

    writeFileSync(join(project, 'src', 'a.ts'), 'export const a = 2;\n');
    const third = run();
    assert.equal(runs(), 2, 'a changed input file runs the node again');
    assert.match(third, /\/ci\/build {2}\| export const a = 2;/);
    const why = runCaisson(project, 'why', latestRun(), '/ci/build');
    assert.equal(why.code, 0, why.stderr);
    assert.equal(why.stdout, '/ci/build attempt 1: ran: cache miss\n  src/a.ts changed\n');

    run();
    assert.equal(runs(), 2, 'and the new result is reused in turn');
  });
});
