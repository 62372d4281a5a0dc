// resolveAll({ publish }): every image (built or a plain reference) pushed to a registry and resolved to
// its digest reference there; a second resolve pushes nothing; the registry comes from the option, else
// CAISSON_REGISTRY, else 127.0.0.1:5000; a registry that does not answer is one error.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, createCaisson, image, pipeline, PluginError, RuntimeUnavailableError, UsageError, type ImageEvent, type PipelineIR } from '../../../core/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { baseReqsImages } from '../../../plugins/image-base-reqs/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';
import { tempDirs } from '../../helpers/temp-project.ts';

const temps = tempDirs();
const saved = { cache: process.env.CAISSON_CACHE_DIR, registry: process.env.CAISSON_REGISTRY };
const restore = (name: string, value: string | undefined) => { if (value === undefined) delete process.env[name]; else process.env[name] = value; };

function setup() {
  process.env.CAISSON_CACHE_DIR = temps.make('cache');
  const builder = new FakeImageBuilder();
  const caisson = createCaisson({ plugins: [fakeRuntime(), baseReqsImages(), { name: 'fake-builder', imageBuilder: builder }] });
  return { builder, images: caisson.images };
}

function appIr(dir: string): PipelineIR {
  const tools = image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], copyDir: dir, name: 'tools' });
  return compile(pipeline('p', { image: tools }).exec('a', 'true').exec('b', 'true', { image: 'busybox:latest' }));
}

const DIGEST_REF = (registry: string, name: string) => new RegExp(`^${registry.replace(/\./g, '\\.')}/caisson/${name}@sha256:[0-9a-f]{64}$`);

describe('image service: publish to a registry', () => {
  let dir: string;
  beforeEach(() => {
    delete process.env.CAISSON_REGISTRY;
    dir = temps.make('src');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), 'one');
  });
  after(() => { temps.removeAll(); restore('CAISSON_CACHE_DIR', saved.cache); restore('CAISSON_REGISTRY', saved.registry); });

  it('pushes every image, built and plain, and resolves each to its digest reference; a built one keeps its content tag', async () => {
    const { builder, images } = setup();
    const local = await images.resolveAll(appIr(dir));
    const events: ImageEvent[] = [];
    const published = await images.resolveAll(appIr(dir), { publish: {}, onEvent: (e) => events.push(e) });
    assert.match(published.tools!.ref, DIGEST_REF('127.0.0.1:5000', 'tools'));
    assert.match(published['busybox-latest']!.ref, DIGEST_REF('127.0.0.1:5000', 'busybox-latest'));
    const targets = builder.pushes.map((p) => [p.ref, p.target.registry, p.target.repository, p.target.tag]).sort();
    assert.deepEqual(targets, [
      ['busybox:latest', '127.0.0.1:5000', 'caisson/busybox-latest', undefined],
      [local.tools!.ref, '127.0.0.1:5000', 'caisson/tools', local.tools!.ref.split(':')[1]],
    ]);
    // What the nodes need besides the reference is what the local image has.
    assert.deepEqual({ ...published.tools, ref: '' }, { ...local.tools, ref: '' });
    assert.deepEqual(events.filter((e) => e.type.startsWith('image-push')).map((e) => [e.type, e.image]).sort(), [['image-pushed', 'busybox-latest'], ['image-pushed', 'tools']]);
  });

  it('a second publish pushes nothing and resolves to the same digests', async () => {
    const { builder, images } = setup();
    const first = await images.resolveAll(appIr(dir), { publish: {} });
    const events: ImageEvent[] = [];
    const second = await images.resolveAll(appIr(dir), { publish: {}, onEvent: (e) => events.push(e) });
    assert.equal(builder.pushes.length, 2);
    assert.deepEqual(second, first);
    assert.deepEqual(events.map((e) => e.type), ['image-cached', 'image-push-cached', 'image-push-cached']);
  });

  it('the registry: publish.registry, else CAISSON_REGISTRY, else 127.0.0.1:5000; a URL is a UsageError naming where it came from', async () => {
    const { images } = setup();
    process.env.CAISSON_REGISTRY = 'registry.example:5443';
    assert.match((await images.resolveAll(appIr(dir), { publish: {} })).tools!.ref, DIGEST_REF('registry.example:5443', 'tools'));
    assert.match((await images.resolveAll(appIr(dir), { publish: { registry: '10.0.0.1:5000' } })).tools!.ref, DIGEST_REF('10.0.0.1:5000', 'tools'));
    process.env.CAISSON_REGISTRY = 'http://registry.example:5000/';
    await assert.rejects(images.resolveAll(appIr(dir), { publish: {} }), (e: unknown) =>
      e instanceof UsageError && e.message === 'CAISSON_REGISTRY: expected a registry as host[:port] (e.g. 127.0.0.1:5000 or registry.example.com), got "http://registry.example:5000/"');
    await assert.rejects(images.resolveAll(appIr(dir), { publish: { registry: 'a/b' } }), (e: unknown) => e instanceof UsageError && e.message.startsWith('publish.registry: '));
  });

  it('a bad registry setting is told before anything is built; publishing without an image builder is a PluginError', async () => {
    const { builder, images } = setup();
    process.env.CAISSON_REGISTRY = 'https://registry.example';
    await assert.rejects(images.resolveAll(appIr(dir), { publish: {} }), UsageError);
    assert.equal(builder.builds.length, 0);
    const bare = createCaisson({ plugins: [fakeRuntime()] });
    const plain = compile(pipeline('p', { image: 'busybox:latest' }).exec('a', 'true'));
    await assert.rejects(bare.images.resolveAll(plain, { publish: { registry: '127.0.0.1:5000' } }), (e: unknown) =>
      e instanceof PluginError && e.message.startsWith('publishing images to 127.0.0.1:5000 needs an image builder to push them'));
  });

  it('a registry that does not answer is one error naming it and the first image; nothing after it is pushed', async () => {
    const { builder, images } = setup();
    builder.unreachable.add('127.0.0.1:5000');
    await assert.rejects(images.resolveAll(appIr(dir), { publish: {} }), (e: unknown) =>
      e instanceof RuntimeUnavailableError && /^image "(tools|busybox-latest)": the registry 127\.0\.0\.1:5000 does not answer$/.test(e.message));
    assert.equal(builder.pushes.length, 0);
  });

  it('without publish, or in a dry run (noBuild), nothing is pushed and references stay local', async () => {
    const { builder, images } = setup();
    assert.match((await images.resolveAll(appIr(dir))).tools!.ref, /^caisson\/tools:[0-9a-f]{12}$/);
    const dry = await images.resolveAll(appIr(dir), { publish: {}, noBuild: true });
    assert.equal(dry['busybox-latest']!.ref, 'busybox:latest');
    assert.equal(builder.pushes.length, 0);
  });
});
