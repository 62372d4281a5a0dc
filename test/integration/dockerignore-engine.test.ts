/**
 * .dockerignore against the engine itself: for each ignore file, BuildKit copies the context into an
 * empty image exported to a folder (`FROM scratch`, `COPY . /`, `--output type=local`), and the files it
 * sent must be exactly those the content hash covers (contextFiles, the walk hashTree makes). The cases
 * are where Docker's rules surprise: regexp characters taken literally, "[!x]", exceptions inside an
 * excluded folder, and a wildcard exception that brings a file back from inside an excluded folder.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contextFiles } from '../../core/image/tree-hash.ts';
import { requireDocker } from '../helpers/docker.ts';

const CASES: Array<{ name: string; ignore: string; files: string[] }> = [
  {
    name: 'segments, **, a leading "/", last match wins',
    ignore: '# comment\n*.log\n/build\n**/tmp\n!keep.log\ndocs/*.md\nnode_modules\n',
    files: ['a.log', 'keep.log', 'sub/a.log', 'build/out.js', 'x/build/y', 'deep/a/tmp/f', 'tmp/f', 'docs/r.md', 'docs/sub/r.md', 'node_modules/m/i.js', 'src/main.ts', 'UPPER.LOG'],
  },
  {
    name: 'regexp characters are literal, "[!b]" is a set, "?" is one character',
    ignore: 'a(b)c/def\ndist/*+*.whl\nx{1}\np|q\nm[!b]n\nq?\n',
    files: ['a(b)c/def', 'abc/def', 'dist/p-1.0+g0-py3.whl', 'dist/plain.whl', 'x{1}', 'x1', 'p|q', 'p', 'mbn', 'm!n', 'mxn', 'q1', 'qq', 'q'],
  },
  {
    name: 'exceptions: inside an excluded folder, and a wildcard one that reaches into it',
    ignore: 'x\n!x/keep.md\ndocs\n!**/README.md\n**/tmp\n!tmp/keep\n',
    files: ['x/keep.md', 'x/drop.md', 'x/y/z.md', 'docs/README.md', 'README.md', 'sub/README.md', 'tmp/keep', 'tmp/drop', 'a/tmp/drop'],
  },
];

/** Regular files under `dir`, relative, sorted. */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).sort().flatMap((name) => {
    const path = rel ? `${rel}/${name}` : name;
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path];
  });
}

describe('.dockerignore: what BuildKit sends is what the content hash covers', function () {
  this.timeout(120_000);
  before(async function () { await requireDocker(this); });

  for (const c of CASES) {
    it(c.name, () => {
      const root = mkdtempSync(join(tmpdir(), 'caisson-ignore-'));
      try {
        const ctx = join(root, 'ctx');
        for (const f of c.files) {
          mkdirSync(dirname(join(ctx, f)), { recursive: true });
          writeFileSync(join(ctx, f), f);
        }
        writeFileSync(join(ctx, '.dockerignore'), c.ignore);
        writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
        execFileSync('docker', ['buildx', 'build', '--quiet', '--output', `type=local,dest=${join(root, 'out')}`, '-f', join(root, 'Dockerfile'), ctx], { stdio: 'pipe' });
        assert.deepEqual(contextFiles(ctx), filesUnder(join(root, 'out')));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
