// installPip's package index: pipIndexUrl / pipExtraIndexUrls (plain URLs, or secret() for ones with
// credentials), else PIP_INDEX_URL / PIP_EXTRA_INDEX_URL at build time; handed to pip as a pip.conf
// BuildKit secret, never in the Dockerfile, the IR or the hash.
import { strict as assert } from 'node:assert';
import { canonicalJson, compile, createCaisson, image, ImageSpecError, pipeline, secret, staticSecrets } from '../../../core/index.ts';
import { baseReqsImages } from '../../../plugins/image-base-reqs/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';

function setup() {
  const builder = new FakeImageBuilder();
  const caisson = createCaisson({ plugins: [fakeRuntime(), baseReqsImages(), { name: 'fake-builder', imageBuilder: builder }] });
  return { builder, images: caisson.images };
}
const pipImage = (extra: Record<string, unknown>) => compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPip: ['tinypkg'], name: 'py', ...extra }) }).exec('a', 'true'));

describe('pip index', () => {
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = { PIP_INDEX_URL: process.env.PIP_INDEX_URL, PIP_EXTRA_INDEX_URL: process.env.PIP_EXTRA_INDEX_URL };
    delete process.env.PIP_INDEX_URL;
    delete process.env.PIP_EXTRA_INDEX_URL;
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  });

  it('pipIndexUrl and pipExtraIndexUrls become a pip.conf secret; the pip step mounts it and names no URL', async () => {
    const { builder, images } = setup();
    await images.resolveAll(pipImage({ pipIndexUrl: 'https://pypi.corp.example/simple/', pipExtraIndexUrls: [secret('EXTRA_INDEX'), 'https://mirror.example/simple/'] }),
      { caBundle: false, secrets: staticSecrets({ EXTRA_INDEX: 'https://bot:s3cr3t@extra.example/simple/' }) });
    const plan = builder.builds[0]!.plan;
    assert.equal(plan.secretValues!['caisson-pip'], '[global]\nindex-url = https://pypi.corp.example/simple/\nextra-index-url =\n    https://bot:s3cr3t@extra.example/simple/\n    https://mirror.example/simple/\n');
    assert.match(plan.dockerfile, /^RUN --mount=type=secret,id=caisson-pip,target=\/run\/secrets\/caisson-pip PIP_CONFIG_FILE=\/run\/secrets\/caisson-pip PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir tinypkg$/m);
    assert.ok(!plan.dockerfile.includes('example'), plan.dockerfile);
  });

  it('without the options, PIP_INDEX_URL / PIP_EXTRA_INDEX_URL of the build time apply; the tag does not depend on them', async () => {
    const { builder, images } = setup();
    const plain = (await images.resolveAll(pipImage({}))).py!.ref;
    assert.equal(builder.builds[0]!.plan.secretValues, undefined);
    process.env.PIP_INDEX_URL = 'http://reader:pw1@127.0.0.1:9/simple/';
    process.env.PIP_EXTRA_INDEX_URL = 'https://a.example/simple/ https://b.example/simple/';
    const withEnv = (await images.resolveAll(pipImage({}), { rebuild: true })).py!.ref;
    assert.equal(withEnv, plain);
    assert.equal(builder.builds[1]!.plan.secretValues!['caisson-pip'], '[global]\nindex-url = http://reader:pw1@127.0.0.1:9/simple/\nextra-index-url =\n    https://a.example/simple/\n    https://b.example/simple/\n');
  });

  it('the IR keeps plain URLs and secret names, never a credential', () => {
    const ir = pipImage({ pipIndexUrl: secret('PRIVATE_INDEX'), pipExtraIndexUrls: ['https://mirror.example/simple/'] });
    const spec = ir.images.py as { pipIndexUrl?: unknown; pipExtraIndexUrls?: unknown };
    assert.deepEqual(spec.pipIndexUrl, { secret: 'PRIVATE_INDEX' });
    assert.deepEqual(spec.pipExtraIndexUrls, ['https://mirror.example/simple/']);
    assert.ok(canonicalJson(ir).includes('PRIVATE_INDEX'));
  });

  it('a plain URL with a credential, an index without installPip, a non-URL: ImageSpecErrors naming the option', () => {
    const fails = (options: Parameters<typeof image>[0], text: RegExp) =>
      assert.throws(() => image(options), (e: unknown) => e instanceof ImageSpecError && text.test(e.message) && !e.message.includes('s3cr3t'));
    fails({ ref: 'debian:bookworm-slim', installPip: ['x'], pipIndexUrl: 'https://bot:s3cr3t@pypi.corp/simple/', name: 'x' },
      /^image "x": pipIndexUrl: the URL holds a credential; pass it as secret\("NAME"\)/);
    fails({ ref: 'debian:bookworm-slim', installPip: ['x'], pipExtraIndexUrls: ['https://s3cr3t@pypi.corp/simple/'], name: 'x' }, /^image "x": pipExtraIndexUrls: the URL holds a credential/);
    fails({ ref: 'debian:bookworm-slim', installPackages: ['jq'], pipIndexUrl: 'https://pypi.corp/simple/', name: 'x' }, /^image "x": pipIndexUrl: applies to installPip only/);
    fails({ ref: 'debian:bookworm-slim', installPip: ['x'], pipIndexUrl: 'pypi.corp', name: 'x' }, /^image "x": pipIndexUrl: expected a URL like "https:\/\/pypi.example\/simple\/"/);
  });
});
