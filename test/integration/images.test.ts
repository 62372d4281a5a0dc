/**
 * Images on the real engine: probing, every built-in provider built with BuildKit, the content-address
 * cache (no buildx call when nothing changed), the copy-only rebuild, a git source over HTTP with a
 * token that must appear nowhere, and installs through the CA secret that must stay out of layers.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, compile, createCaisson, image, pipeline, secret, staticSecrets, type ImageEvent, type PipelineIR } from '../../core/index.ts';
import { BuildKitImageBuilder, buildkit } from '../../plugins/buildkit/index.ts';
import { baseReqsImages } from '../../plugins/image-base-reqs/index.ts';
import { dockerfileImages } from '../../plugins/image-dockerfile/index.ts';
import { gitImages } from '../../plugins/image-git/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { requireDocker } from '../helpers/docker.ts';
import { CountingBuilder } from '../helpers/counting-builder.ts';
import { startGitHttpServer } from './support/git-http-server.ts';
import { exportCount, historyAndConfig, removeCaissonTags } from './support/image-files.ts';
import { tempCacheDir, tempDirs } from '../helpers/temp-project.ts';
import { filesImages, filesKind } from '../../examples/custom-image-provider/files-image-provider.ts';

const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const inImage = (ref: string, script: string) => sh('docker', ['run', '--rm', '--entrypoint', 'sh', ref, '-c', script]);
const nonce = () => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('images on the real engine (BuildKit)', function () {
  this.timeout(180_000);
  let builder: CountingBuilder;
  let caisson: ReturnType<typeof createCaisson>;
  const resolve = async (ir: PipelineIR, opts: { caBundle?: string | false; secrets?: ReturnType<typeof staticSecrets> } = {}) => {
    const events: ImageEvent[] = [];
    const images = await caisson.images.resolveAll(ir, { ...opts, onEvent: (e) => events.push(e) });
    built.push(...Object.values(images).map((i) => i.ref));
    return { images, events };
  };

  const temps = tempDirs();
  const built: string[] = [];
  let restoreCache = () => {};
  after(() => { restoreCache(); temps.removeAll(); removeCaissonTags(built); });

  before(async function () {
    await requireDocker(this);
    restoreCache = tempCacheDir();
    builder = new CountingBuilder(new BuildKitImageBuilder());
    caisson = createCaisson({ plugins: [fakeRuntime(), buildkit(builder), dockerfileImages(), baseReqsImages(), gitImages()] });
  });

  it('probes Debian and BusyBox: distro, package manager, shell', async () => {
    const debian = await caisson.images.prober!.probe('debian:bookworm-slim');
    assert.equal(debian.distro.id, 'debian');
    assert.equal(debian.flavor, 'apt');
    assert.match(debian.shell!, /\/bash$/);
    const busybox = await caisson.images.prober!.probe('busybox:latest');
    assert.equal(busybox.flavor, undefined);
    assert.match(busybox.shell!, /\/(ash|sh)$/);
    const runs = builder.calls.runProbe;
    await caisson.images.prober!.probe('busybox:latest');
    assert.equal(builder.calls.runProbe, runs, 'a second probe of the same image id started a container');
  });

  it('base+reqs: jq installed, code copied honouring .dockerignore; zero buildx calls when nothing changed; one changed file rebuilds only the copy step', async () => {
    const dir = temps.make('it-src');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), `one ${nonce()}`);
    writeFileSync(join(dir, 'debug.log'), 'ignored');
    writeFileSync(join(dir, '.dockerignore'), '*.log\n');
    const ir = () => compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], copyDir: dir, name: 'tools' }) }).exec('a', 'true'));
    const first = await resolve(ir());
    const ref = first.images.tools!.ref;
    const out = inImage(ref, 'jq --version && pwd && cat src/a.txt && ls -A');
    assert.match(out, /^jq-1\.6/m);
    assert.match(out, /^\/mnt\/caisson$/m);
    assert.match(out, /^one /m);
    assert.ok(!out.includes('debug.log'), out);

    const calls = builder.calls.build;
    const again = await resolve(ir());
    assert.equal(builder.calls.build, calls, 'nothing changed, yet buildx ran');
    assert.equal(again.images.tools!.ref, ref);

    writeFileSync(join(dir, 'src', 'a.txt'), `two ${nonce()}`);
    const changed = await resolve(ir());
    assert.notEqual(changed.images.tools!.ref, ref);
    const steps = changed.events.filter((e): e is Extract<ImageEvent, { type: 'image-step' }> => e.type === 'image-step');
    assert.ok(steps.some((s) => /apt-get install -y jq/.test(s.step) && s.cached), JSON.stringify(steps));
    assert.ok(steps.some((s) => /COPY \. \/mnt\/caisson/.test(s.step) && !s.cached), JSON.stringify(steps));
  });

  it('dockerfile: inline text with a context and build args', async () => {
    const ctx = temps.make('it-ctx');
    writeFileSync(join(ctx, 'hello.txt'), `hello ${nonce()}`);
    const img = image({ dockerfileText: 'FROM busybox:latest\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\n', context: ctx, dockerBuildArgs: { GREETING: 'bonjour' }, name: 'df' });
    const { images } = await resolve(compile(pipeline('p', { image: img }).exec('a', 'true')));
    assert.match(inImage(images.df!.ref, 'cat /greeting /hello.txt'), /^bonjour\nhello /);
  });

  it('git: a repository cloned over HTTP with a copyCredentials token; the token is in no event, IR, layer, history, file or record', async () => {
    const root = temps.make('it-git');
    const work = join(root, 'work');
    mkdirSync(work);
    sh('git', ['init', '-q', '-b', 'main', work]);
    writeFileSync(join(work, 'run.sh'), `echo from-git ${nonce()}\n`);
    sh('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init'], work);
    sh('git', ['add', '.'], work);
    sh('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'code'], work);
    sh('git', ['clone', '-q', '--bare', work, join(root, 'repo.git')]);
    const sha = sh('git', ['rev-parse', 'HEAD'], work).trim();
    const token = `tok-${nonce()}`;
    const server = await startGitHttpServer(root, 'bot', token);
    try {
      const img = image({ ref: 'busybox:latest', copyUrl: `${server.url.replace('http://', 'http://bot@')}/repo.git`, copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'gitsrc' });
      const ir = compile(pipeline('p', { image: img }).exec('a', 'sh run.sh'));
      const { images, events } = await resolve(ir, { secrets: staticSecrets({ GIT_TOKEN: token }) });
      assert.ok(server.requests.some((r) => r.endsWith('auth=true')), server.requests.join('\n'));
      const ref = images.gitsrc!.ref;
      const out = inImage(ref, 'sh run.sh; echo "$CAISSON_GIT_SHA $CAISSON_GIT_BRANCH $CAISSON_GIT_URL"; cat .git/config');
      assert.match(out, /^from-git /m);
      assert.ok(out.includes(`${sha} main http://127.0.0.1:`), out);
      // Every file of the image, at any depth, as bytes (not a few folders, and not file names).
      assert.equal(exportCount(ref, token), 0, 'the token is in a file of the image');
      for (const [what, text] of [['output', out], ['history/inspect', historyAndConfig(ref)], ['events', JSON.stringify(events)], ['IR', canonicalJson(ir)], ['resolved record', JSON.stringify(images)]] as const) {
        assert.ok(!text.includes(token), `the token appears in the ${what}`);
      }
    } finally {
      await server.close();
    }
  });

  it('a custom kind (examples/custom-image-provider) builds for real when its plugin is registered', async () => {
    const custom = createCaisson({ plugins: [fakeRuntime(), buildkit(builder), filesImages()] });
    const text = `hello ${nonce()}\nsecond line\n`;
    const ir = compile(pipeline('p', { image: image({ provider: filesKind, params: { base: 'busybox:latest', files: { '/etc/app.conf': text } }, name: 'files' }) }).exec('a', 'true'));
    const resolved = await custom.images.resolveAll(ir);
    built.push(resolved.files!.ref);
    assert.equal(inImage(resolved.files!.ref, 'cat /etc/app.conf'), text);
  });

  it('npm through the CA secret and pip of a wheel shipped in the code; the CA bundle is in no layer', async function () {
    // A cold build (no layer cached) installs nodejs and npm with apt: over 3 minutes on 2 shared cores.
    this.timeout(480_000);
    // The host's CA bundle (whatever SSL_CERT_FILE names, else Debian's, which a TLS-intercepting proxy's
    // CA is added to), with a line no image holds, so a copy of this bundle anywhere in the image is found.
    const host = process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt';
    assert.ok(existsSync(host), `no CA bundle at ${host}: set SSL_CERT_FILE to the host's bundle`);
    const dir = temps.make('it-pkgs');
    const marker = `caisson-ca-marker-${nonce()}`;
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, `# ${marker}\n${readFileSync(host, 'utf8')}`);
    const code = join(dir, 'code');
    mkdirSync(join(code, 'wheels'), { recursive: true });
    sh('python3', ['-c', WHEEL_SCRIPT, join(code, 'wheels')]);
    writeFileSync(join(code, 'marker.txt'), nonce());
    const img = image({ ref: 'debian:bookworm-slim', installPackages: ['nodejs', 'npm', 'python3-pip'], installNpm: ['is-number@7.0.0'], installPip: ['./wheels/tinypkg-0.1-py3-none-any.whl'], copyDir: code, name: 'pkgs' });
    const { images, events } = await resolve(compile(pipeline('p', { image: img }).exec('a', 'true')), { caBundle: ca });
    const ref = images.pkgs!.ref;
    const out = inImage(ref, 'node -e "console.log(require(\'/mnt/caisson/node_modules/is-number\')(5))" && python3 -c "import tinypkg; print(tinypkg.VALUE)"; ls /run/secrets 2>&1; true');
    assert.match(out, /^true$/m);
    assert.match(out, /^tiny-42$/m);
    assert.ok(!/caisson-ca/.test(out), out);
    // The install steps did get the bundle (as a secret mount), so its absence below means something.
    assert.ok(events.some((e) => e.type === 'image-step' && e.step.includes('id=caisson-ca')), 'no step mounted the CA bundle');
    assert.equal(exportCount(ref, marker), 0, 'the CA bundle was written into a layer');
    assert.ok(!historyAndConfig(ref).includes(marker), 'CA content in the image history or config');
  });
});

const WHEEL_SCRIPT = `
import sys, zipfile, hashlib, base64, os
d = sys.argv[1]
files = {'tinypkg/__init__.py': 'VALUE = "tiny-42"\\n',
         'tinypkg-0.1.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: tinypkg\\nVersion: 0.1\\n',
         'tinypkg-0.1.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: caisson-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = []
with zipfile.ZipFile(os.path.join(d, 'tinypkg-0.1-py3-none-any.whl'), 'w') as z:
    for name, text in files.items():
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append(f'{name},sha256={digest},{len(data)}')
    record.append('tinypkg-0.1.dist-info/RECORD,,')
    z.writestr('tinypkg-0.1.dist-info/RECORD', '\\n'.join(record) + '\\n')
`;
