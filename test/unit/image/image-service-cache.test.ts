/**
 * The image service's two caches, as a user meets them: an image that is already built must not stop the
 * images after it from being built (a multi-image pipeline whose first image is cached), and a probe made
 * by one process is read back from disk by the next one (a warm `caisson run` starts no probe container).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, createCaisson, image, ImageProber, pipeline, type ImageEvent } from '../../../core/plugin-kit.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { baseReqsImages } from '../../../plugins/image-base-reqs/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';

/** A Caisson instance on `builder`, as one `caisson` process would make it. */
const imagesOn = (builder: FakeImageBuilder) =>
  createCaisson({ plugins: [fakeRuntime(), baseReqsImages(), { name: 'fake-builder', imageBuilder: builder }] }).images;

/** Three built images; the table is sorted by name, so b-new sits between two that an earlier run built. */
function threeImages() {
  const built = (name: string) => image({ ref: 'debian:bookworm-slim', installPackages: [`pkg-${name}`], name });
  return compile(pipeline('p')
    .exec('a', 'true', { image: built('a-built') })
    .exec('b', 'true', { image: built('b-new') })
    .exec('c', 'true', { image: built('c-built') }));
}

describe('image service caches', () => {
  const before = process.env.CAISSON_CACHE_DIR;
  const temps: string[] = [];
  const temp = (prefix: string) => { const d = mkdtempSync(join(tmpdir(), prefix)); temps.push(d); return d; };
  beforeEach(() => { process.env.CAISSON_CACHE_DIR = temp('caisson-cache-'); });
  afterEach(() => {
    if (before === undefined) delete process.env.CAISSON_CACHE_DIR;
    else process.env.CAISSON_CACHE_DIR = before;
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('an image already built does not stop the build of the images after it', async () => {
    const builder = new FakeImageBuilder();
    const images = imagesOn(builder);
    const ir = threeImages();
    assert.deepEqual(Object.keys(ir.images).filter((n) => n !== 'caisson-default'), ['a-built', 'b-new', 'c-built'], 'precondition: table order');
    // An earlier run built a-built and c-built; b-new is new (say, its definition changed).
    await images.resolveAll(ir, { only: ['a-built', 'c-built'] });
    assert.equal(builder.builds.length, 2);
    const events: ImageEvent[] = [];
    const resolved = await images.resolveAll(ir, { onEvent: (e) => events.push(e) });
    assert.deepEqual(events.filter((e) => e.type === 'image-cached' || e.type === 'image-built').map((e) => `${e.type} ${e.image}`),
      ['image-cached a-built', 'image-built b-new', 'image-cached c-built']);
    assert.equal(builder.builds.length, 3);
    assert.equal(builder.builds[2]!.tag, resolved['b-new']!.ref);
    // Every ref a node will run is an image that exists, with its id and probed shell.
    for (const name of ['a-built', 'b-new', 'c-built']) {
      const r = resolved[name]!;
      assert.equal(r.id, builder.images.get(r.ref)?.id, `${name}: ${r.ref} was never built`);
      assert.equal(r.shell, '/bin/sh', name);
    }
  });

  it('a probe made by one process is read from the disk cache by the next: no probe container', async () => {
    const builder = new FakeImageBuilder();
    const ir = threeImages();
    const first = await imagesOn(builder).resolveAll(ir);
    const probes = builder.probeCalls;
    assert.ok(probes > 0, 'the first process probed');
    assert.ok(readdirSync(join(process.env.CAISSON_CACHE_DIR!, 'probes')).length > 0, 'probes are cached on disk');
    // A new process: a new service, its memory empty, the same cache folder and images.
    const again = await imagesOn(builder).resolveAll(ir);
    assert.equal(builder.probeCalls, probes, 'the second process probed again instead of reading the cache');
    assert.deepEqual(again, first);
  });

  it('the disk cache is keyed by image id: another id is probed, and an unreadable entry is probed again', async () => {
    const builder = new FakeImageBuilder();
    const dir = temp('caisson-probes-');
    const probed = await new ImageProber(builder, () => dir).probe('debian:bookworm-slim');
    assert.equal(builder.probeCalls, 1);
    assert.deepEqual(await new ImageProber(builder, () => dir).probe('debian:bookworm-slim'), probed);
    assert.equal(builder.probeCalls, 1, 'same id: read from disk');
    await new ImageProber(builder, () => dir).probe('busybox:latest');
    assert.equal(builder.probeCalls, 2, 'another id: probed');
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), '{ not json');
    assert.deepEqual(await new ImageProber(builder, () => dir).probe('debian:bookworm-slim'), probed);
    assert.equal(builder.probeCalls, 3, 'a broken entry is probed again');
  });
});
