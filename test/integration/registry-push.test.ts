/**
 * The push step on the real engine and the local registry (scripts/setup-swarm.sh): resolveAll with
 * `publish` pushes a built image and a plain reference, resolves both to digest references the registry
 * serves (its own manifest digest, asked over its HTTP API), and a second resolve pushes nothing. A
 * registry that does not answer is one error naming it and the image. Every repository here is the
 * test's own (unique names), and only those are removed afterwards.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, createCaisson, image, pipeline, RuntimeUnavailableError, type ImageEvent, type PipelineIR } from '../../core/index.ts';
import { BuildKitImageBuilder, buildkit } from '../../plugins/buildkit/index.ts';
import { dockerfileImages } from '../../plugins/image-dockerfile/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { requireDocker } from '../helpers/docker.ts';
import { CountingBuilder } from '../helpers/counting-builder.ts';
import { manifestDigest, removeRepository, requireRegistry, TEST_REGISTRY } from '../helpers/registry.ts';
import { tempCacheDir, tempDirs } from '../helpers/temp-project.ts';
import { removeCaissonTags } from './support/image-files.ts';

const unique = `push-it-${process.pid}-${Date.now().toString(36)}`;
const inImage = (ref: string, script: string) => execFileSync('docker', ['run', '--rm', '--entrypoint', 'sh', ref, '-c', script], { encoding: 'utf8' });

describe('the push step: images published to the local registry, by digest', function () {
  this.timeout(180_000);
  const temps = tempDirs();
  let restoreCache = () => {};
  let builder: CountingBuilder;
  let caisson: ReturnType<typeof createCaisson>;
  const localTags: string[] = [];

  before(async function () {
    await requireDocker(this);
    await requireRegistry(this);
    restoreCache = tempCacheDir();
    builder = new CountingBuilder(new BuildKitImageBuilder());
    caisson = createCaisson({ plugins: [fakeRuntime(), buildkit(builder), dockerfileImages()] });
  });
  after(async () => {
    restoreCache();
    temps.removeAll();
    removeCaissonTags(localTags);
    for (const name of [`${unique}-app`, `${unique}-bb`]) await removeRepository(`caisson/${name}`).catch(() => {});
  });

  const ir = (): PipelineIR => {
    const dir = temps.make('ctx');
    writeFileSync(join(dir, 'hello.txt'), `hello from ${unique}\n`);
    const app = image({ dockerfileText: 'FROM busybox:latest\nCOPY hello.txt /hello.txt\n', context: dir, name: `${unique}-app` });
    const bb = image({ ref: 'busybox:latest', name: `${unique}-bb` });
    return compile(pipeline('p', { image: app }).exec('a', 'cat /hello.txt').exec('b', 'true', { image: bb }));
  };
  const resolve = async (pipelineIr: PipelineIR, registry?: string) => {
    const events: ImageEvent[] = [];
    // Every tag this test builds is removed afterwards, also when the resolve fails after the build.
    const onEvent = (e: ImageEvent) => { events.push(e); if (e.type === 'image-built') localTags.push(e.tag); };
    const images = await caisson.images.resolveAll(pipelineIr, { publish: registry ? { registry } : {}, onEvent });
    return { images, events };
  };

  it('pushes a built image and a plain reference, each resolved to the digest the registry holds; a second resolve pushes nothing', async () => {
    const pipelineIr = ir();
    const { images, events } = await resolve(pipelineIr);
    const local = await caisson.images.resolveAll(pipelineIr);

    for (const [name, resolved] of Object.entries(images)) {
      const m = resolved.ref.match(/^(.+)\/(caisson\/[^@]+)@(sha256:[0-9a-f]{64})$/);
      assert.ok(m, `${name}: ${resolved.ref} is not a digest reference`);
      assert.equal(m[1], TEST_REGISTRY);
      assert.equal(m[2], `caisson/${name}`);
      const tag = events.find((e) => e.type === 'image-pushed' && e.image === name);
      assert.ok(tag, `${name} was not pushed: ${JSON.stringify(events)}`);
      // The registry's own manifest digest for the content tag is the one the reference names.
      const contentTag = name.endsWith('-app') ? local[name]!.ref.split(':')[1]! : local[name]!.id!.replace('sha256:', '').slice(0, 12);
      assert.equal(await manifestDigest(m[2], contentTag), m[3]);
    }
    // A digest reference runs the same image (the daemon knows it by that digest now).
    assert.equal(inImage(images[`${unique}-app`]!.ref, 'cat /hello.txt'), `hello from ${unique}\n`);
    assert.equal(images[`${unique}-app`]!.id, local[`${unique}-app`]!.id);

    const pushesBefore = builder.calls.push;
    const again = await resolve(pipelineIr);
    assert.deepEqual(again.images, images);
    assert.equal(builder.calls.push - pushesBefore, 2);
    assert.deepEqual(again.events.filter((e) => e.type.startsWith('image-push')).map((e) => e.type), ['image-push-cached', 'image-push-cached']);
  });

  it('a registry that does not answer is one error naming the registry and the image, and how to start one', async () => {
    // Port 9 (discard): nothing listens there on this machine.
    const pipelineIr = ir();
    await assert.rejects(resolve(pipelineIr, '127.0.0.1:9'), (e: unknown) => {
      assert.ok(e instanceof RuntimeUnavailableError, String(e));
      assert.match(e.message, new RegExp(`^image "${unique}-(app|bb)": the registry 127\\.0\\.0\\.1:9 does not answer, so the image cannot be pushed there \\(.*connection refused.*\\); start one on 127\\.0\\.0\\.1:5000 \\(for example \`docker run -d -p 127\\.0\\.0\\.1:5000:5000 registry:2\`\\), or set CAISSON_REGISTRY`, 's'));
      return true;
    });
    // The failed push took its registry tag back: nothing of it is left in the daemon.
    const left = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=127.0.0.1:9/caisson/${unique}-*`], { encoding: 'utf8' }).trim();
    if (left) execFileSync('docker', ['image', 'rm', ...left.split('\n')], { stdio: 'ignore' });
    assert.equal(left, '');
  });
});
