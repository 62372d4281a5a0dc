// Host paths in commands (relpath() → where the path is inside the image) and the git checkout copyRepo
// reads from the repository's files: each rule, each refusal word for word.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relpath, type ImageSpec } from '../../../core/index.ts';
import { containerPathOf, expandPathMarks } from '../../../core/dsl/image-paths.ts';
import { findGitCheckout } from '../../../core/dsl/git-checkout.ts';
import { throwsCode } from '../../helpers/errors.ts';

const spec = (pathMap: Record<string, string>, dockerAutoWorkdir?: boolean): ImageSpec =>
  ({ kind: 'base-reqs', name: 'app', ref: 'busybox:latest', pathMap, ...(dockerAutoWorkdir !== undefined && { dockerAutoWorkdir }) }) as unknown as ImageSpec;

describe('dsl: relpath() and where a host path is inside the image', () => {
  it('relpath() refuses an empty path and a relative dir, naming what was given', () => {
    assert.equal(throwsCode(() => relpath(''), 'DSL', { path: 'relpath()' }).message, 'relpath(): expected a non-empty path, got ""');
    assert.equal(throwsCode(() => relpath(5 as never), 'DSL', { path: 'relpath()' }).message, 'relpath(): expected a non-empty path, got 5');
    assert.equal(throwsCode(() => relpath('a', 'rel'), 'DSL', { path: 'relpath()', option: 'dir' }).message, 'relpath(): dir: expected an absolute folder like import.meta.dirname, got "rel"');
    assert.equal(throwsCode(() => relpath('a', 3 as never), 'DSL', { path: 'relpath()', option: 'dir' }).message, 'relpath(): dir: expected an absolute folder like import.meta.dirname, got 3');
    assert.equal(relpath('./t.py', '/srv/app'), '__caisson_path:/srv/app/t.py:endpath__');
    assert.equal(relpath('/abs/t.py', '/srv/app'), '__caisson_path:/abs/t.py:endpath__');
  });

  it('the longest pathMap entry covering the path wins; a sibling folder with the same prefix is not covered', () => {
    const s = spec({ '/srv/app': '/code', '/srv/app/web': '/web/', '/srv/other/': '/other' });
    assert.equal(containerPathOf('/srv/app/web/index.ts', s), '/web/index.ts');
    assert.equal(containerPathOf('/srv/app/lib/a.ts', s), '/code/lib/a.ts');
    assert.equal(containerPathOf('/srv/app', s), '/code');
    assert.equal(containerPathOf('/srv/app/web', s), '/web/');
    assert.equal(containerPathOf('/srv/other/x', s), '/other/x');
    assert.equal(containerPathOf('/srv/app2/a.ts', s), undefined);
    assert.equal(containerPathOf('/elsewhere', s), undefined);
    assert.equal(containerPathOf('/srv/app/a', spec({})), undefined);
  });

  it('under /mnt/caisson with dockerAutoWorkdir the path is relative to it (the working dir); otherwise absolute', () => {
    const auto = spec({ '/srv/app': '/mnt/caisson' }, true);
    assert.equal(containerPathOf('/srv/app', auto), '.');
    assert.equal(containerPathOf('/srv/app/tests/run.sh', auto), 'tests/run.sh');
    assert.equal(containerPathOf('/srv/app/tests/run.sh', spec({ '/srv/app': '/mnt/caisson' }, false)), '/mnt/caisson/tests/run.sh');
    assert.equal(containerPathOf('/srv/app/tests/run.sh', spec({ '/srv/app': '/mnt/caisson' })), '/mnt/caisson/tests/run.sh', 'no option: absolute');
    assert.equal(containerPathOf('/srv/app/x', spec({ '/srv/app': '/mnt/caissonx' }, true)), '/mnt/caissonx/x', 'only /mnt/caisson itself and below');
  });

  it('compile-time rewriting: a shell string gets the path quoted, an argv entry as is; no mark, no change', () => {
    const s = spec({ '/srv/my app': '/code' });
    const mark = relpath('./run tests.sh', '/srv/my app');
    assert.equal(expandPathMarks(`sh ${mark} --fast`, s, '/p/a'), "sh '/code/run tests.sh' --fast");
    assert.deepEqual(expandPathMarks(['sh', mark, '--fast'], s, '/p/a'), ['sh', '/code/run tests.sh', '--fast']);
    const argv = ['echo', 'hi'];
    assert.equal(expandPathMarks(argv, s, '/p/a'), argv);
    assert.equal(expandPathMarks('echo hi', undefined, '/p/a'), 'echo hi');
    assert.equal(throwsCode(() => expandPathMarks(`cat ${relpath('x', '/srv/my app')}`, undefined, '/p/a'), 'DSL', { path: '/p/a', option: 'image' }).message,
      '/p/a: command references local code (/srv/my app/x) but no image is specified');
    assert.equal(throwsCode(() => expandPathMarks(['cat', relpath('x', '/elsewhere')], s, '/p/a'), 'DSL', { path: '/p/a', option: 'image' }).message,
      '/p/a: command references local code (/elsewhere/x) but image "app" does not say where it is inside the container; give the image copyDir, copyRepo or a pathMap entry covering it');
  });
});

describe('dsl: the git checkout copyRepo reads (from files, no git process)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-checkout-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const gitDir = (at: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(at, name, '..'), { recursive: true });
      writeFileSync(join(at, name), text);
    }
  };
  const CONFIG = '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://up.example/r.git\n[remote "origin"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n\turl =  https://git.example/team/app.git  \n[branch "main"]\n\tremote = origin\n';

  it('finds the root from a subfolder, the origin (not another remote) and the branch', () => {
    const repo = join(dir, 'repo');
    gitDir(join(repo, '.git'), { HEAD: 'ref: refs/heads/feature/x\n', config: CONFIG });
    mkdirSync(join(repo, 'a', 'b'), { recursive: true });
    assert.deepEqual(findGitCheckout(join(repo, 'a', 'b')), { root: repo, originUrl: 'https://git.example/team/app.git', branch: 'feature/x' });
  });

  it('a detached HEAD has no branch; a repository without an origin has no origin URL', () => {
    const repo = join(dir, 'repo');
    gitDir(join(repo, '.git'), { HEAD: '3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b\n', config: '[remote "upstream"]\n\turl = https://up.example/r.git\n' });
    assert.deepEqual(findGitCheckout(repo), { root: repo, originUrl: undefined, branch: undefined });
  });

  it('a linked worktree (.git is a file) reads its HEAD, and the config of the shared git dir its commondir names', () => {
    const main = join(dir, 'main');
    gitDir(join(main, '.git'), { HEAD: 'ref: refs/heads/main\n', config: CONFIG, 'worktrees/wt/HEAD': 'ref: refs/heads/topic\n', 'worktrees/wt/commondir': '../..\n' });
    const wt = join(dir, 'wt');
    mkdirSync(wt);
    writeFileSync(join(wt, '.git'), `gitdir:   ${join(main, '.git', 'worktrees', 'wt')}\n`);
    assert.deepEqual(findGitCheckout(wt), { root: wt, originUrl: 'https://git.example/team/app.git', branch: 'topic' });
    writeFileSync(join(wt, '.git'), 'gitdir: ../main/.git/worktrees/wt\n');
    assert.equal(findGitCheckout(wt)?.branch, 'topic', 'a relative gitdir resolves from the worktree');
  });

  it('a folder in no checkout has none', () => {
    assert.equal(findGitCheckout(dir), undefined);
  });
});
