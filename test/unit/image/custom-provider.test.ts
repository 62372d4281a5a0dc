import { strict as assert } from 'node:assert';
import { compile, createCaisson, ImageSpecError, pipeline, Tokens, type CustomImage } from '../../../core/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { filesImage, filesImages, FilesImageProvider } from '../../../examples/custom-image-provider/files-image-provider.ts';
import { FakeImageBuilder, DEBIAN_PROBE, fakePlanContext } from './support/fake-image-builder.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();
const cacheBefore = process.env.CAISSON_CACHE_DIR;

describe('example: a custom image provider ("files")', () => {
  after(() => { temps.removeAll(); if (cacheBefore === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = cacheBefore; });
  it('plans FROM the base with one RUN per file, text passed as base64', async () => {
    const img = filesImage('config', { base: 'busybox:latest', files: { '/etc/app.conf': "greeting='hi'\n" } });
    const plan = await new FilesImageProvider().plan(img.spec as CustomImage, fakePlanContext(DEBIAN_PROBE));
    const b64 = Buffer.from("greeting='hi'\n").toString('base64');
    assert.equal(plan.dockerfile, `FROM busybox:latest\nRUN mkdir -p /etc && echo ${b64} | base64 -d > /etc/app.conf\n`);
  });

  it('rejects bad params with an error naming the image', () => {
    const img = filesImage('bad', { base: 'busybox:latest', files: { 'relative.txt': 'x' } });
    assert.throws(() => new FilesImageProvider().validate(img.spec as CustomImage), (e: unknown) => e instanceof ImageSpecError && e.message === 'image "bad": params.files: "relative.txt" must be an absolute path');
  });

  it('registered as a plugin, the service builds it once and then finds it by content address', async () => {
    process.env.CAISSON_CACHE_DIR = temps.make('cache');
    const builder = new FakeImageBuilder();
    const { images } = createCaisson({ plugins: [fakeRuntime(), filesImages(), { name: 'b', register: (c) => c.register(Tokens.ImageBuilder, { useValue: builder }) }] });
    const ir = compile(pipeline('p', { image: filesImage('config', { base: 'busybox:latest', files: { '/a': '1' } }) }).exec('a', 'true'));
    const first = await images.resolveAll(ir);
    await images.resolveAll(ir);
    assert.equal(builder.builds.length, 1);
    assert.match(first.config!.ref, /^caisson\/config:[0-9a-f]{12}$/);
    assert.equal(builder.builds[0]!.plan.labels!['dev.caisson.provider'], 'files@1');
  });
});
