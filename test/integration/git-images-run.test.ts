/**
 * Git images through a real `caisson run` on Docker (not only `docker run` on a built image): two
 * copyUrl repositories on the same branch each give their node their own code, copyRepo with copyBranch
 * runs the origin's branch rather than the local checkout, and the token (copyCredentials: secret("REPO_TOKEN")) is found nowhere:
 * not in the output, the run record, any file of the host's git cache, nor anywhere in the images.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';
import { startGitHttpServer } from './support/git-http-server.ts';
import { exportCount, historyAndConfig, removeCaissonTags } from './support/image-files.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const nonce = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Every file under `dir`, recursively (symlinks not followed). */
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  const s = lstatSync(p);
  return s.isDirectory() ? filesUnder(p) : s.isFile() ? [p] : [];
});

/** A bare repository `<root>/<name>.git` whose branch `main` holds which.txt = `content`. */
function bareRepo(root: string, name: string, content: string): void {
  const work = join(root, `${name}-work`);
  mkdirSync(work);
  git(work, 'init', '-q', '-b', 'main');
  writeFileSync(join(work, 'which.txt'), `${content}\n`);
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', name);
  git(root, 'clone', '-q', '--bare', work, `${name}.git`);
}

describe('git images in a real caisson run', function () {
  this.timeout(180_000);
  let served: string;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;
  let project: string;
  let cache: string;
  const token = `tok-${nonce()}`;
  const refs: string[] = [];

  before(async function () {
    await requireDocker(this);
    served = mkdtempSync(join(tmpdir(), 'caisson-git-served-'));
    server = await startGitHttpServer(served, 'bot', token);
  });
  after(async () => {
    await server?.close();
    removeCaissonTags(refs);
    if (served) rmSync(served, { recursive: true, force: true });
  });
  beforeEach(() => {
    project = tempProject('git-run');
    cache = mkdtempSync(join(tmpdir(), 'caisson-git-cache-'));
  });
  afterEach(() => { removeProject(project); rmSync(cache, { recursive: true, force: true }); });

  /**
   * `caisson run pipe.ts` in the project, with its own cache folder and the token in REPO_TOKEN only; in
   * the background, since the git server answers from this process.
   */
  const run = async () => {
    const runner = startCaisson(['run', 'pipe.ts'], project, { ...process.env, NO_COLOR: '1', CAISSON_CACHE_DIR: cache, REPO_TOKEN: token });
    const code = await runner.exited;
    const r = { stdout: runner.stdout(), stderr: runner.stderr() };
    assert.equal(code, 0, r.stdout + r.stderr);
    const runsDir = join(project, '.caisson', 'runs');
    const [runId] = readdirSync(runsDir);
    const meta = JSON.parse(readFileSync(join(runsDir, runId!, 'meta.json'), 'utf8')) as { images: Record<string, { ref: string }> };
    refs.push(...Object.values(meta.images).map((i) => i.ref));
    return { stdout: r.stdout + r.stderr, images: meta.images, records: filesUnder(join(project, '.caisson')) };
  };

  /** Asserts the token is in no output, record file, file of the git cache, image filesystem, history or config. */
  const assertTokenNowhere = (stdout: string, records: string[], images: string[]) => {
    assert.ok(!stdout.includes(token), 'the token is in the output');
    for (const f of records) assert.ok(!readFileSync(f, 'latin1').includes(token), `the token is in the record file ${f}`);
    const cached = filesUnder(cache);
    assert.ok(cached.some((f) => f.startsWith(join(cache, 'git'))), `the git cache holds the clones: ${cached.slice(0, 5).join(', ')}`);
    for (const f of cached) assert.ok(!readFileSync(f, 'latin1').includes(token), `the token is in ${f}, in the host's git cache`);
    for (const ref of images) {
      assert.equal(exportCount(ref, token), 0, `the token is in a file of ${ref}`);
      assert.ok(!historyAndConfig(ref).includes(token), `the token is in the history or config of ${ref}`);
    }
  };

  it('two copyUrl repositories on the same branch: each node runs its own repository\'s code', async () => {
    const id = nonce();
    bareRepo(served, `alpha-${id}`, `alpha ${id}`);
    bareRepo(served, `beta-${id}`, `beta ${id}`);
    writeFileSync(join(project, 'pipe.ts'), `
import { image, pipeline, secret } from 'caisson';
const url = (repo: string) => \`${server.url.replace('http://', 'http://bot@')}/\${repo}.git\`;
const token = secret('REPO_TOKEN');
const alpha = image({ ref: 'busybox:latest', copyUrl: url('alpha-${id}'), copyBranch: 'main', copyCredentials: token, name: 'alpha' });
const beta = image({ ref: 'busybox:latest', copyUrl: url('beta-${id}'), copyBranch: 'main', copyCredentials: token, name: 'beta' });
const show = 'cat which.txt; echo "url=$CAISSON_GIT_URL branch=$CAISSON_GIT_BRANCH"';
export default pipeline('two-repos').exec('a', show, { image: alpha }).exec('b', show, { image: beta });
`);
    const { stdout, images, records } = await run();
    assert.match(stdout, new RegExp(`/two-repos/a {2}\\| alpha ${id}$`, 'm'));
    assert.match(stdout, new RegExp(`/two-repos/b {2}\\| beta ${id}$`, 'm'));
    assert.match(stdout, new RegExp(`/two-repos/a {2}\\| url=${server.url}/alpha-${id}\\.git branch=main$`, 'm'));
    assert.match(stdout, new RegExp(`/two-repos/b {2}\\| url=${server.url}/beta-${id}\\.git branch=main$`, 'm'));
    assert.match(stdout, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 3 /m);
    assertTokenNowhere(stdout, records, [images.alpha!.ref, images.beta!.ref]);
  });

  it('copyRepo with copyBranch runs the origin\'s branch, not the local checkout, and keeps the origin\'s token out', async () => {
    const id = nonce();
    writeFileSync(join(project, '.gitignore'), 'node_modules\n.caisson\n');
    writeFileSync(join(project, 'which.txt'), `pushed ${id}\n`);
    writeFileSync(join(project, 'pipe.ts'), `
import { image, pipeline, secret } from 'caisson';
const repo = image({ ref: 'busybox:latest', copyRepo: true, copyBranch: 'main', copyCredentials: secret('REPO_TOKEN'), name: 'repo' });
export default pipeline('from-origin', { image: repo }).exec('show', 'cat which.txt; echo "branch=$CAISSON_GIT_BRANCH sha=$CAISSON_GIT_SHA"; ls -a');
`);
    git(project, 'init', '-q', '-b', 'main');
    git(project, 'add', '.');
    git(project, 'commit', '-q', '-m', 'pushed');
    const pushed = git(project, 'rev-parse', 'HEAD');
    git(served, 'clone', '-q', '--bare', project, `origin-${id}.git`);
    // The origin as many CI checkouts have it: the token in the remote URL of the local .git/config. The
    // pipeline names the same token as copyCredentials; only the user name is taken from the URL.
    git(project, 'remote', 'add', 'origin', `${server.url.replace('http://', `http://bot:${token}@`)}/origin-${id}.git`);
    // Local work the origin does not have: a commit and an uncommitted edit.
    writeFileSync(join(project, 'which.txt'), `local commit ${id}\n`);
    git(project, 'commit', '-q', '-am', 'local');
    writeFileSync(join(project, 'which.txt'), `uncommitted ${id}\n`);
    writeFileSync(join(project, 'local-only.txt'), 'not pushed\n');

    const { stdout, images, records } = await run();
    assert.match(stdout, new RegExp(`/from-origin/show {2}\\| pushed ${id}$`, 'm'));
    assert.match(stdout, new RegExp(`/from-origin/show {2}\\| branch=main sha=${pushed}$`, 'm'));
    assert.doesNotMatch(stdout, /local-only\.txt|\| node_modules/, 'the local checkout was copied');
    assert.match(stdout, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 2 /m);
    assertTokenNowhere(stdout, records, [images.repo!.ref]);
  });
});
