// The result cache's commands on the fake runtime: run twice (a hit says "done (cached)"), --dry-run's
// predictions (hit, miss naming the file, not cached, skipped, bypass), why after a change, --no-cache,
// and cache prune.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaisson } from '../../helpers/cli.ts';
import { cacheScope, resultStore } from '../../../cli/result-cache.ts';

describe('caisson run / why / cache prune with the result cache (fake runtime)', function () {
  this.timeout(180_000);
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-cache-cli-'));
    saved = process.env.CAISSON_CACHE_DIR;
    process.env.CAISSON_CACHE_DIR = join(dir, 'cache');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('predicts, reuses, explains and prunes', () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.ts'), 'one\n');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'p.ts'), `
import { pipeline } from ${JSON.stringify(join(import.meta.dirname, '../../../core/index.ts'))};
export default pipeline('ci', { image: 'busybox:latest' })
  .exec('build', 'make', { cache: { inputs: ['src'] } })
  .exec('plain', 'echo')
  .exec('off', 'echo', { skip: true, cache: true });
`);
    const caisson = (...args: string[]) => {
      const r = runCaisson(dir, ...args);
      assert.equal(r.code, 0, `caisson ${args.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
      return r.stdout;
    };
    const predicted = (out: string) => out.slice(out.indexOf('cache (predicted):')).trim().split('\n').slice(1).map((l) => l.trim().replace(/ {2,}/g, '  '));
    assert.deepEqual(predicted(caisson('run', '--no-typecheck', '--runtime', 'fake', '--dry-run', 'p.ts')),
      ['/ci/build  miss: no earlier result', '/ci/plain  not cached: runs', '/ci/off  skipped']);
    assert.equal(readdirSync(join(dir, 'cache', 'results', 'results')).length, 0, 'a dry run stores nothing');

    caisson('run', '--no-typecheck', '--runtime', 'fake', 'p.ts');
    assert.match(caisson('run', '--no-typecheck', '--runtime', 'fake', '--dry-run', 'p.ts'), /\/ci\/build {2}hit: the result of run \d{8}-/);
    assert.match(caisson('run', '--no-typecheck', '--runtime', 'fake', 'p.ts'), /\/ci\/build {2}done \(cached\) from run /);
    assert.match(caisson('why', 'latest', '/ci/build'), /^\/ci\/build attempt 1: cache hit: the result stored by run /);
    assert.match(caisson('why', 'latest', '/ci/plain'), /is not cached/);

    writeFileSync(join(dir, 'src', 'a.ts'), 'two\n');
    writeFileSync(join(dir, 'src', 'b.ts'), 'new\n');
    assert.deepEqual(predicted(caisson('run', '--no-typecheck', '--runtime', 'fake', '--dry-run', 'p.ts'))[0], '/ci/build  miss: src/a.ts changed, src/b.ts added');
    assert.deepEqual(predicted(caisson('run', '--no-typecheck', '--runtime', 'fake', '--dry-run', '--no-cache', 'p.ts'))[0], '/ci/build  bypass (--no-cache): runs');
    assert.match(caisson('run', '--no-typecheck', '--runtime', 'fake', 'p.ts'), /\/ci\/build {2}running/);
    assert.equal(caisson('why', 'latest', '/ci/build'), '/ci/build attempt 1: ran: cache miss\n  src/a.ts changed\n  src/b.ts added\n');

    assert.match(caisson('run', '--no-typecheck', '--runtime', 'fake', '--no-cache', 'p.ts'), /\/ci\/build {2}running/);
    assert.equal(caisson('why', 'latest', '/ci/build'), '/ci/build attempt 1: ran: the cache was bypassed (--no-cache)\n  same key as the earlier result: nothing changed\n');

    assert.match(caisson('cache', 'prune', '--all'), /^removed 2 results \(\d+\.\d MB\); 0 left/);
    assert.match(caisson('run', '--no-typecheck', '--runtime', 'fake', '--dry-run', 'p.ts'), /\/ci\/build {2}miss: no earlier result/);
    const bad = runCaisson(dir, 'cache', 'prune', '--older-than', 'soon');
    assert.deepEqual([bad.code, bad.stderr], [2, 'caisson: --older-than: expected a duration like 7d or 12h, got "soon"\n']);
  });

  it('a fake run\'s results live in a scope of their own, never the latest a real run compares with', () => {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'p.ts'), `
import { pipeline } from ${JSON.stringify(join(import.meta.dirname, '../../../core/index.ts'))};
export default pipeline('ci', { image: 'busybox:latest' }).exec('build', 'make', { cache: true });
`);
    assert.equal(runCaisson(dir, 'run', '--no-typecheck', '--runtime', 'fake', 'p.ts').code, 0);
    const store = resultStore();
    const file = join(dir, 'p.ts');
    assert.equal(store.latest(file, '/ci/build'), undefined, 'nothing under the file\'s own scope');
    assert.ok(store.latest(cacheScope(file, true), '/ci/build'), 'the fake run\'s result under its own');
  });

});
