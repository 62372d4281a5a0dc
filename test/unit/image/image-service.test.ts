import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, createCaisson, image, pipeline, type ImageEvent, type PipelineIR } from '../../../core/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { baseReqsImages } from '../../../plugins/image-base-reqs/index.ts';
import { gitImages } from '../../../plugins/image-git/index.ts';
import { Tokens } from '../../../core/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();
const cacheBefore = process.env.CAISSON_CACHE_DIR;

function setup() {
  process.env.CAISSON_CACHE_DIR = temps.make('cache');
  const builder = new FakeImageBuilder();
  const caisson = createCaisson({
    plugins: [fakeRuntime(), baseReqsImages(), gitImages(), { name: 'fake-builder', register: (c) => c.register(Tokens.ImageBuilder, { useValue: builder }) }],
  });
  return { builder, images: caisson.images };
}

function appIr(dir: string): PipelineIR {
  const tools = image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], copyDir: dir, name: 'tools' });
  return compile(pipeline('p', { image: tools }).exec('a', 'true').exec('b', 'true', { image: 'busybox:latest' }));
}

describe('image service', () => {
  after(() => { temps.removeAll(); if (cacheBefore === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = cacheBefore; });
  let dir: string;
  beforeEach(() => {
    dir = temps.make('src');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), 'one');
  });

  it('builds what is missing once; a second resolve with nothing changed builds nothing and probes nothing', async () => {
    const { builder, images } = setup();
    const first = await images.resolveAll(appIr(dir));
    assert.equal(builder.builds.length, 1);
    assert.match(first.tools!.ref, /^caisson\/tools:[0-9a-f]{12}$/);
    assert.equal(first['busybox-latest']!.ref, 'busybox:latest');
    assert.equal(first.tools!.shell, '/bin/sh');
    const probes = builder.probeCalls;
    const events: ImageEvent[] = [];
    const second = await images.resolveAll(appIr(dir), { onEvent: (e) => events.push(e) });
    assert.equal(builder.builds.length, 1, 'second resolve built again');
    assert.equal(builder.probeCalls, probes, 'second resolve probed again');
    assert.deepEqual(second, first);
    assert.deepEqual(events.map((e) => e.type), ['image-cached']);
  });

  it('a changed file in copyDir changes the tag; an ignored one does not; rebuild forces a build', async () => {
    const { builder, images } = setup();
    const tag = (await images.resolveAll(appIr(dir))).tools!.ref;
    writeFileSync(join(dir, '.dockerignore'), '*.log\n');
    const withIgnore = (await images.resolveAll(appIr(dir))).tools!.ref;
    assert.notEqual(withIgnore, tag, '.dockerignore itself is copied, so it counts');
    writeFileSync(join(dir, 'debug.log'), 'x');
    assert.equal((await images.resolveAll(appIr(dir))).tools!.ref, withIgnore);
    writeFileSync(join(dir, 'src', 'a.txt'), 'two');
    assert.notEqual((await images.resolveAll(appIr(dir))).tools!.ref, withIgnore);
    const before = builder.builds.length;
    await images.resolveAll(appIr(dir), { rebuild: ['tools'] });
    assert.equal(builder.builds.length, before + 1);
  });

  it('.caisson/ is neither copied nor hashed, whatever .dockerignore re-includes', async () => {
    const { builder, images } = setup();
    writeFileSync(join(dir, '.dockerignore'), '!.caisson\n!.caisson/secrets\n');
    mkdirSync(join(dir, '.caisson', 'runs'), { recursive: true });
    const tag = (await images.resolveAll(appIr(dir))).tools!.ref;
    writeFileSync(join(dir, '.caisson', 'secrets'), 'A=1\n', { mode: 0o600 });
    writeFileSync(join(dir, '.caisson', 'runs', 'events.jsonl'), '{}\n');
    assert.equal((await images.resolveAll(appIr(dir))).tools!.ref, tag);
    assert.match(builder.builds[0]!.plan.ignore!, /^!\.caisson\n!\.caisson\/secrets\n\.caisson\n\*\*\/\.caisson\n/);
  });

  it('name and shell do not change the content address', async () => {
    const { images } = setup();
    const a = image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], name: 'a' });
    const b = image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], name: 'b', shell: '/bin/sh' });
    const r = await images.resolveAll(compile(pipeline('p', { image: a }).exec('x', 'true', { image: b })));
    assert.equal(r.a!.ref.split(':')[1], r.b!.ref.split(':')[1]);
    assert.equal(r.b!.shell, '/bin/sh');
  });

  it('redacts known credentials in every event', async () => {
    const { images } = setup();
    image({ copyUrl: 'https://bot:s3cr3t-tok@h.invalid/r.git', copyBranch: 'main', name: 'remember-token' });
    const events: ImageEvent[] = [];
    await images.resolveAll(appIr(dir), { onEvent: (e) => events.push(e) });
    const text = JSON.stringify(events);
    assert.ok(text.includes('cloning https://bot:***@h/r.git'), text);
    assert.ok(!text.includes('s3cr3t-tok'));
  });

  it('hands the builder a git source without userinfo, the credential apart, and hashes the commit it got', async () => {
    const { builder, images } = setup();
    const repo = image({ ref: 'debian:bookworm-slim', copyUrl: 'https://bot:s3cr3t-tok@git.example/r.git', copyBranch: 'main', name: 'repo' });
    const ir = compile(pipeline('p', { image: repo }).exec('a', 'true'));
    assert.ok(!JSON.stringify(ir).includes('s3cr3t-tok'), 'no credential in the IR');
    const resolved = await images.resolveAll(ir);
    assert.deepEqual(builder.gitFetches, [{ image: 'repo', url: 'https://git.example/r.git', branch: 'main', credential: { username: 'bot', password: 's3cr3t-tok' } }]);
    assert.match(resolved.repo!.ref, /^caisson\/repo:[0-9a-f]{12}$/);
    assert.match(builder.builds[0]!.plan.dockerfile, /CAISSON_GIT_SHA=0123456789abcdef0123456789abcdef01234567/);
  });

  it('an image kind without a provider is a plugin error naming the image and kind', async () => {
    const { images } = setup();
    const ir = compile(pipeline('p', { image: image({ provider: 'motd', params: {}, name: 'm' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir), /image "m": no image provider for kind "motd" \(have: base-reqs, git\)/);
  });

  it('installs on an unknown distro fail before building, naming the image and the distro', async () => {
    const { builder, images } = setup();
    builder.osRelease['busybox:latest'] = 'ID=busybox\nVERSION_ID=v1.35.0';
    const ir = compile(pipeline('p', { image: image({ ref: 'busybox:latest', installPackages: ['jq'], name: 'bb' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir), /image "bb": installPackages: don't know how to install packages for distro "busybox"/);
    assert.equal(builder.builds.length, 0);
  });
});
