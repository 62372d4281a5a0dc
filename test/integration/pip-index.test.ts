/**
 * installPip from a private package index, on the real engine: a wheel built here, served as a PEP 503
 * index on 127.0.0.1 (reached from the build through host networking), installed into a
 * debian:bookworm-slim image (python3 and pip come from Debian's apt). With a user:password index URL,
 * from secret() or from PIP_INDEX_URL at build time, the password is in no layer, history, IR or event.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, compile, createCaisson, image, pipeline, secret, staticSecrets, type ImageEvent, type PipelineIR } from '../../core/index.ts';
import { BuildKitImageBuilder, buildkit } from '../../plugins/buildkit/index.ts';
import { baseReqsImages } from '../../plugins/image-base-reqs/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { requireDocker } from '../helpers/docker.ts';
import { startPipIndex, type PipIndex } from './support/pip-index.ts';
import { exportCount } from './support/image-files.ts';

const sh = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
const nonce = () => `${process.pid}${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
const imported = (ref: string, pkg: string) => sh('docker', ['run', '--rm', ref, 'python3', '-c', `import ${pkg}; print(${pkg}.VALUE)`]).trim();


describe('installPip from a private index (real engine)', function () {
  this.timeout(180_000);
  // One package per test: BuildKit's layer cache does not key on secret contents, so tests must not share a pip step.
  const id = nonce();
  const pkgs = { open: `caissonopen${id}`, secret: `caissonsecret${id}`, env: `caissonenv${id}` };
  const password = `pw-${nonce()}`;
  let index: PipIndex;
  let caisson: ReturnType<typeof createCaisson>;
  const built: string[] = [];
  const resolve = async (ir: PipelineIR, opts: Parameters<typeof caisson.images.resolveAll>[1] = {}) => {
    const events: ImageEvent[] = [];
    const images = await caisson.images.resolveAll(ir, { ...opts, onEvent: (e) => events.push(e) });
    built.push(...Object.values(images).map((r) => r.ref).filter((r) => r.startsWith('caisson/')));
    return { images, events };
  };
  /** Asserts the password is nowhere a user or an attacker with the image could read it. */
  const assertNoPassword = (ref: string, ir: PipelineIR, events: ImageEvent[]) => {
    assert.equal(exportCount(ref, password), 0, 'the password is in the image filesystem');
    const texts = { history: sh('docker', ['history', '--no-trunc', ref]), config: sh('docker', ['image', 'inspect', ref]), IR: canonicalJson(ir), events: JSON.stringify(events) };
    for (const [what, text] of Object.entries(texts)) assert.ok(!text.includes(password), `the password is in the ${what}`);
  };

  before(async function () {
    await requireDocker(this);
    process.env.CAISSON_CACHE_DIR = mkdtempSync(join(tmpdir(), 'caisson-it-cache-'));
    index = await startPipIndex(Object.values(pkgs), 'reader', password);
    // Host networking for builds: the index listens on the host's loopback.
    caisson = createCaisson({ plugins: [fakeRuntime(), buildkit(new BuildKitImageBuilder({ network: 'host' })), baseReqsImages()] });
  });
  after(async () => {
    await index?.close();
    if (built.length) execFileSync('docker', ['image', 'rm', '-f', ...new Set(built)], { stdio: 'ignore' });
  });

  it('pipIndexUrl: the package comes from the private index', async () => {
    const pkg = pkgs.open;
    const ir = compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPip: [pkg], pipIndexUrl: `${index.url}/open/simple/`, name: 'pip-open' }) }).exec('a', 'true'));
    const { images } = await resolve(ir);
    assert.equal(imported(images['pip-open']!.ref, pkg), `from-${pkg}`);
    assert.ok(index.requests.some((r) => r.startsWith(`GET /open/simple/${pkg}`)), index.requests.join('\n'));
  });

  it('a user:password index URL from secret(): installed, and the password is in no layer, history, IR or event', async () => {
    const pkg = pkgs.secret;
    const ir = compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPip: [pkg], pipIndexUrl: secret('PRIVATE_INDEX'), name: 'pip-secret' }) }).exec('a', 'true'));
    const { images, events } = await resolve(ir, { secrets: staticSecrets({ PRIVATE_INDEX: `http://reader:${password}@${index.url.slice('http://'.length)}/private/simple/` }) });
    const ref = images['pip-secret']!.ref;
    assert.equal(imported(ref, pkg), `from-${pkg}`);
    assert.ok(index.requests.some((r) => r.startsWith(`GET /private/simple/${pkg}`) && r.endsWith('auth=true')), index.requests.join('\n'));
    assertNoPassword(ref, ir, events);
  });

  it('PIP_INDEX_URL in the environment at build time, with user:password: installed, the password nowhere, the tag independent of it', async () => {
    const pkg = pkgs.env;
    const ir = () => compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPip: [pkg], name: 'pip-env' }) }).exec('a', 'true'));
    const saved = process.env.PIP_INDEX_URL;
    process.env.PIP_INDEX_URL = `http://reader:${password}@${index.url.slice('http://'.length)}/private/simple/`;
    try {
      const { images, events } = await resolve(ir());
      const ref = images['pip-env']!.ref;
      assert.equal(imported(ref, pkg), `from-${pkg}`);
      assert.ok(index.requests.some((r) => r.startsWith(`GET /private/simple/${pkg}`) && r.endsWith('auth=true')), index.requests.join('\n'));
      assertNoPassword(ref, ir(), events);
      process.env.PIP_INDEX_URL = `http://reader:other-${password}@${index.url.slice('http://'.length)}/private/simple/`;
      const again = await caisson.images.resolveAll(ir());
      assert.equal(again['pip-env']!.ref, ref, 'the content address depends on the credential');
    } finally {
      if (saved === undefined) delete process.env.PIP_INDEX_URL;
      else process.env.PIP_INDEX_URL = saved;
    }
  });
});
