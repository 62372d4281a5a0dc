import { strict as assert } from 'node:assert';
import { compile, createCaisson, image, ImageSpecError, pipeline, type CustomImage, type PipelineIR } from '../../../core/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { filesImages, filesKind } from '../../../examples/custom-image-provider/files-image-provider.ts';
import { FakeImageBuilder, DEBIAN_PROBE, fakePlanContext } from './support/fake-image-builder.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();
const cacheBefore = process.env.CAISSON_CACHE_DIR;

const files = (name: string, params: { base: string; files: Record<string, string> }) => image({ provider: filesKind, params, name });

function setup() {
  process.env.CAISSON_CACHE_DIR = temps.make('cache');
  const builder = new FakeImageBuilder();
  const { images } = createCaisson({ plugins: [fakeRuntime(), filesImages(), { name: 'b', imageBuilder: builder }] });
  return { builder, images };
}

describe('example: a custom image kind ("files")', () => {
  after(() => { temps.removeAll(); if (cacheBefore === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = cacheBefore; });
  it('plans FROM the base with one RUN per file, text passed as base64', async () => {
    const img = files('config', { base: 'busybox:latest', files: { '/etc/app.conf': "greeting='hi'\n" } });
    assert.deepEqual(img.spec, { kind: 'custom', name: 'config', provider: 'files', dir: import.meta.dirname, params: { base: 'busybox:latest', files: { '/etc/app.conf': "greeting='hi'\n" } } });
    const plan = await filesKind.plan((img.spec as CustomImage).params as never, fakePlanContext(DEBIAN_PROBE));
    const b64 = Buffer.from("greeting='hi'\n").toString('base64');
    assert.equal(plan.dockerfile, `FROM busybox:latest\nRUN mkdir -p /etc && echo ${b64} | base64 -d > /etc/app.conf\n`);
  });

  it('its params are typed where image() is called (tsc checks the lines marked @ts-expect-error)', () => {
    // @ts-expect-error base must be a string
    assert.throws(() => image({ provider: filesKind, params: { base: 1, files: {} }, name: 'typed' }), ImageSpecError);
    // @ts-expect-error files is required
    assert.throws(() => image({ provider: filesKind, params: { base: 'busybox:latest' }, name: 'typed' }), ImageSpecError);
  });

  it("image() checks the params with the kind's codec, naming the image and every bad field", () => {
    assert.throws(() => files('bad', { base: 'busybox:latest', files: { 'relative.txt': 'x' } }),
      (e: unknown) => e instanceof ImageSpecError && e.message === 'image "bad": params.files: expected an object of absolute path → text, got {"relative.txt":"x"}');
    assert.throws(() => image({ provider: filesKind, params: { base: 7, files: [] } as never, name: 'worse' }),
      (e: unknown) => e instanceof ImageSpecError && e.message === 'image "worse": params.base: expected a string, got 7; params.files: expected an object of absolute path → text, got []');
  });

  it('contributed by a plain-object plugin, the service builds it once and then finds it by content address', async () => {
    const { builder, images } = setup();
    const ir = compile(pipeline('p', { image: files('config', { base: 'busybox:latest', files: { '/a': '1' } }) }).exec('a', 'true'));
    const first = await images.resolveAll(ir);
    await images.resolveAll(ir);
    assert.equal(builder.builds.length, 1);
    assert.match(first.config!.ref, /^caisson\/config:[0-9a-f]{12}$/);
    assert.equal(builder.builds[0]!.plan.labels!['dev.caisson.provider'], 'files@1');
    assert.deepEqual(images.kinds(), ['files']);
  });

  it('the service decodes the params of an IR from elsewhere (the kind named by a string) and names the image', async () => {
    const { builder, images } = setup();
    const ir: PipelineIR = compile(pipeline('p', { image: image({ provider: 'files', params: { base: 'busybox:latest', files: { etc: 'x' } }, name: 'loose' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir), (e: unknown) => e instanceof ImageSpecError && e.image === 'loose' && e.message === 'image "loose": params.files: expected an object of absolute path → text, got {"etc":"x"}');
    assert.equal(builder.builds.length, 0);
  });

  it('two plugins adding one kind is one error naming both', () => {
    assert.throws(() => createCaisson({ plugins: [fakeRuntime(), filesImages(), { name: 'image-files-again', imageKinds: [filesKind] }] }),
      /plugins "image-files" and "image-files-again" both contribute image kind "files"/);
  });
});
