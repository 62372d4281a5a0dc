/**
 * What enters a build context, on the real engine: never the pipeline's `.caisson/` folder (run
 * records, the 0600 secrets file), whatever the user's .dockerignore says, in copyDir, copyRepo and
 * dockerfile contexts alike; and since it is not copied, it is not hashed: a new run record does not
 * make a new image. Never the host checkout's git credentials either (a token in a remote URL, a CI
 * checkout's http extraheader, [credential] sections, a credentials file): the whole image filesystem
 * is searched for them. An explicit `.git` in .dockerignore keeps .git out.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, createCaisson, image, pipeline, type Image, type ImageEvent, type PipelineIR } from '../../core/index.ts';
import { BuildKitImageBuilder, buildkit } from '../../plugins/buildkit/index.ts';
import { baseReqsImages } from '../../plugins/image-base-reqs/index.ts';
import { dockerfileImages } from '../../plugins/image-dockerfile/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { requireDocker } from '../helpers/docker.ts';
import { CountingBuilder } from '../helpers/counting-builder.ts';
import { exportCount } from './support/image-files.ts';

const CORE = join(import.meta.dirname, '../../core/index.ts');
const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const nonce = () => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
/** Every path of the image's filesystem (docker export), one a line. */
const filesOf = (ref: string): string[] => {
  const id = sh('docker', ['create', ref, 'true']).trim();
  try {
    return execFileSync('sh', ['-c', `docker export ${id} | tar -t`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n');
  } finally {
    sh('docker', ['rm', id]);
  }
};

/** A pipeline folder as a user has it after a few runs: code, run records, a secrets file. */
function pipelineFolder(root: string, secret: string): void {
  mkdirSync(join(root, '.caisson', 'runs', 'r1'), { recursive: true });
  writeFileSync(join(root, '.caisson', 'secrets'), `API_TOKEN=${secret}\n`, { mode: 0o600 });
  writeFileSync(join(root, '.caisson', 'runs', 'r1', 'meta.json'), '{}');
  writeFileSync(join(root, 'app.sh'), 'echo app\n');
}

describe('build contexts never hold .caisson/ (real engine)', function () {
  this.timeout(180_000);
  let builder: CountingBuilder;
  let caisson: ReturnType<typeof createCaisson>;
  const built: string[] = [];
  const resolve = async (ir: PipelineIR) => {
    const events: ImageEvent[] = [];
    const images = await caisson.images.resolveAll(ir, { onEvent: (e) => events.push(e) });
    built.push(...Object.values(images).map((r) => r.ref).filter((r) => r.startsWith('caisson/')));
    return { images, events };
  };
  const irOf = (img: Image) => compile(pipeline('p', { image: img }).exec('a', 'true'));

  before(async function () {
    await requireDocker(this);
    process.env.CAISSON_CACHE_DIR = mkdtempSync(join(tmpdir(), 'caisson-it-cache-'));
    builder = new CountingBuilder(new BuildKitImageBuilder());
    caisson = createCaisson({ plugins: [fakeRuntime(), buildkit(builder), dockerfileImages(), baseReqsImages()] });
  });
  after(() => { if (built.length) execFileSync('docker', ['image', 'rm', '-f', ...new Set(built)], { stdio: 'ignore' }); });

  it('copyDir ".": no .caisson in the image even when .dockerignore re-includes it; a new run record builds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-it-dot-'));
    const secret = `s3cret-${nonce()}`;
    pipelineFolder(dir, secret);
    writeFileSync(join(dir, '.dockerignore'), '*.log\n!.caisson\n!.caisson/secrets\n');
    const ir = () => irOf(image({ ref: 'busybox:latest', copyDir: dir, name: 'dot' }));
    const { images } = await resolve(ir());
    const files = filesOf(images.dot!.ref);
    assert.ok(files.includes('mnt/caisson/app.sh'), 'the code was not copied');
    assert.deepEqual(files.filter((f) => f.includes('.caisson')), []);

    mkdirSync(join(dir, '.caisson', 'runs', 'r2'));
    writeFileSync(join(dir, '.caisson', 'runs', 'r2', 'events.jsonl'), `${nonce()}\n`);
    const calls = builder.calls.build;
    const again = await resolve(ir());
    assert.equal(again.images.dot!.ref, images.dot!.ref, 'a new run record changed the content address');
    assert.equal(builder.calls.build, calls);
  });

  it('a dockerfile context: COPY . sends no .caisson (nested ones included)', async () => {
    const ctx = mkdtempSync(join(tmpdir(), 'caisson-it-dfctx-'));
    pipelineFolder(ctx, `s3cret-${nonce()}`);
    mkdirSync(join(ctx, 'sub'));
    pipelineFolder(join(ctx, 'sub'), `s3cret-${nonce()}`);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /ctx\n');
    const { images } = await resolve(irOf(image({ dockerfile: join(ctx, 'Dockerfile'), name: 'dfctx' })));
    const files = filesOf(images.dfctx!.ref);
    assert.ok(files.includes('ctx/sub/app.sh'), 'the context was not copied');
    assert.deepEqual(files.filter((f) => f.includes('.caisson')), []);
  });

  it('copyRepo from a pipeline in a subfolder: the subfolder\'s .caisson stays out', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'caisson-it-repo-'));
    sh('git', ['init', '-q', '-b', 'main', repo]);
    mkdirSync(join(repo, 'ci'));
    pipelineFolder(join(repo, 'ci'), `s3cret-${nonce()}`);
    writeFileSync(join(repo, 'ci', 'images.ts'), `import { image } from ${JSON.stringify(CORE)};\nexport const repoImage = () => image({ ref: 'busybox:latest', copyRepo: true, name: 'repo' });\n`);
    const mod = (await import(pathToFileURL(join(repo, 'ci', 'images.ts')).href)) as { repoImage: () => Image };
    const { images } = await resolve(irOf(mod.repoImage()));
    const files = filesOf(images.repo!.ref);
    assert.ok(files.includes('mnt/caisson/ci/app.sh'), 'the repository was not copied');
    assert.deepEqual(files.filter((f) => f.includes('.caisson')), []);
  });

  /** A checkout as a CI runner leaves it: a token in origin's URL, an extraheader, a credential section and file; a nested vendored checkout too. */
  function ciCheckout(token: string): string {
    const repo = mkdtempSync(join(tmpdir(), 'caisson-it-ci-'));
    sh('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(join(repo, 'app.sh'), 'echo app\n');
    sh('git', ['add', '.'], repo);
    sh('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'code'], repo);
    sh('git', ['remote', 'add', 'origin', `https://bot:${token}@git.example.invalid/acme/app.git`], repo);
    sh('git', ['config', 'http.https://git.example.invalid/.extraheader', `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`], repo);
    sh('git', ['config', `credential.https://git.example.invalid.username`, `user-${token}`], repo);
    writeFileSync(join(repo, '.git', 'credentials'), `https://bot:${token}@git.example.invalid\n`);
    mkdirSync(join(repo, 'vendor'));
    sh('git', ['init', '-q', '-b', 'main', join(repo, 'vendor', 'lib')]);
    sh('git', ['remote', 'add', 'origin', `https://bot:${token}@git.example.invalid/acme/lib.git`], join(repo, 'vendor', 'lib'));
    writeFileSync(join(repo, 'images.ts'), `import { image } from ${JSON.stringify(CORE)};\nexport const repoImage = () => image({ ref: 'busybox:latest', copyRepo: true, name: 'ci' });\n`);
    return repo;
  }
  const repoImageOf = async (repo: string) => ((await import(pathToFileURL(join(repo, 'images.ts')).href)) as { repoImage: () => Image }).repoImage();

  it('copyRepo of a CI checkout: no token anywhere in the image; .git and a credential-free origin are kept', async () => {
    const token = `ghs_${nonce().replace(/-/g, '')}`;
    const repo = ciCheckout(token);
    const { images } = await resolve(irOf(await repoImageOf(repo)));
    const ref = images.ci!.ref;
    for (const needle of [token, Buffer.from(`x-access-token:${token}`).toString('base64')]) {
      assert.equal(exportCount(ref, needle), 0, `the credential ${needle.slice(0, 12)}… is in the image`);
    }
    const config = sh('docker', ['run', '--rm', ref, 'cat', '/mnt/caisson/.git/config']);
    assert.match(config, /url = https:\/\/git\.example\.invalid\/acme\/app\.git$/m);
    assert.match(config, /^\[core\]$/m);
    assert.ok(filesOf(ref).includes('mnt/caisson/.git/HEAD'), '.git itself was not copied');
  });

  it('copyRepo honours an explicit .git in .dockerignore: no .git in the image', async () => {
    const repo = ciCheckout(`ghs_${nonce().replace(/-/g, '')}`);
    writeFileSync(join(repo, '.dockerignore'), '.git\n');
    const { images } = await resolve(irOf(await repoImageOf(repo)));
    const files = filesOf(images.ci!.ref);
    assert.ok(files.includes('mnt/caisson/app.sh'));
    assert.deepEqual(files.filter((f) => f.startsWith('mnt/caisson/.git/')), []);
  });
});
