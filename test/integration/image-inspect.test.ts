/**
 * What `docker image inspect` says about presence, on the real engine and the docker CLI of this
 * machine (CLI 28 against Engine 20.10, whose "no such image" text repeats the reference with a colon):
 * a missing image is never taken for a present one, and a reference that looks like a flag is an
 * absent image, not an option.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, createCaisson, image, pipeline, type ImageEvent } from '../../core/index.ts';
import { BuildKitImageBuilder, buildkit } from '../../plugins/buildkit/index.ts';
import { baseReqsImages } from '../../plugins/image-base-reqs/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { requireDocker } from '../helpers/docker.ts';

const nonce = () => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('image inspect on the real engine', function () {
  this.timeout(120_000);
  before(async function () {
    await requireDocker(this);
    process.env.CAISSON_CACHE_DIR = mkdtempSync(join(tmpdir(), 'caisson-it-cache-'));
  });

  it('two built images, one cached and one new: the new one is built, and each ref gets its own image', async () => {
    const dirs = { 'a-new': mkdtempSync(join(tmpdir(), 'caisson-it-a-')), 'b-cached': mkdtempSync(join(tmpdir(), 'caisson-it-b-')) };
    for (const [name, dir] of Object.entries(dirs)) writeFileSync(join(dir, 'f.txt'), `${name} ${nonce()}`);
    // Sorted by name, the new image's ref comes first in the inspect: the one a positional pairing gets wrong.
    const ir = () => compile(pipeline('p')
      .exec('a', 'cat f.txt', { image: image({ ref: 'busybox:latest', copyDir: dirs['a-new'], name: 'a-new' }) })
      .exec('b', 'cat f.txt', { image: image({ ref: 'busybox:latest', copyDir: dirs['b-cached'], name: 'b-cached' }) }));
    const caisson = () => createCaisson({ plugins: [fakeRuntime(), buildkit(), baseReqsImages()] });
    const first = await caisson().images.resolveAll(ir());
    writeFileSync(join(dirs['a-new'], 'f.txt'), `changed ${nonce()}`);
    const events: ImageEvent[] = [];
    const second = await caisson().images.resolveAll(ir(), { onEvent: (e) => events.push(e) });
    assert.notEqual(second['a-new']!.ref, first['a-new']!.ref);
    assert.equal(second['b-cached']!.ref, first['b-cached']!.ref);
    assert.deepEqual(events.filter((e) => e.type === 'image-cached' || e.type === 'image-built').map((e) => `${e.type} ${e.image}`), ['image-built a-new', 'image-cached b-cached']);
    for (const name of ['a-new', 'b-cached'] as const) {
      const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', second[name]!.ref], { encoding: 'utf8' }).trim();
      assert.equal(second[name]!.id, id, `${name}: resolved id is another image's`);
    }
    execFileSync('docker', ['image', 'rm', first['a-new']!.ref, second['a-new']!.ref, second['b-cached']!.ref], { stdio: 'ignore' });
  });

  it('a reference beginning with "-" reaches docker as a reference: absent, not a flag', async () => {
    const found = await new BuildKitImageBuilder().inspect(['--version', 'busybox:latest']);
    assert.deepEqual([...found.keys()], ['busybox:latest']);
  });
});
