import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, createCaisson, image, ImageBuildError, ImageSpecError, pipeline, secret, staticSecrets, type ImageEvent, type PipelineIR } from '../../../core/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { baseReqsImages } from '../../../plugins/image-base-reqs/index.ts';
import { gitImages } from '../../../plugins/image-git/index.ts';
import { dockerfileImages } from '../../../plugins/image-dockerfile/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';
import { rejectsCode } from '../../helpers/errors.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();
const cacheBefore = process.env.CAISSON_CACHE_DIR;

function setup() {
  process.env.CAISSON_CACHE_DIR = temps.make('cache');
  const builder = new FakeImageBuilder();
  const caisson = createCaisson({
    plugins: [fakeRuntime(), baseReqsImages(), gitImages(), { name: 'fake-builder', imageBuilder: builder }],
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

  it('masks a secret it read (copyCredentials) in every event of that resolve', async () => {
    const { images } = setup();
    const repo = image({ ref: 'debian:bookworm-slim', copyUrl: 'https://bot@h.invalid/r.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'repo' });
    const events: ImageEvent[] = [];
    await images.resolveAll(compile(pipeline('p', { image: repo }).exec('a', 'true')), { secrets: staticSecrets({ GIT_TOKEN: 's3cr3t-tok' }), onEvent: (e) => events.push(e) });
    const text = JSON.stringify(events);
    assert.ok(text.includes('cloning https://bot:***@h/r.git'), text);
    assert.ok(!text.includes('s3cr3t-tok'));
  });

  it('hands the builder a git source without userinfo, the copyCredentials secret apart, and hashes the commit it got', async () => {
    const { builder, images } = setup();
    const repo = image({ ref: 'debian:bookworm-slim', copyUrl: 'https://bot@git.example/r.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'repo' });
    const ir = compile(pipeline('p', { image: repo }).exec('a', 'true'));
    assert.equal(ir.images.repo!.kind === 'git' && ir.images.repo!.copyCredentials, 'GIT_TOKEN', 'the IR names the secret');
    const resolved = await images.resolveAll(ir, { secrets: staticSecrets({ GIT_TOKEN: 's3cr3t-tok' }) });
    assert.deepEqual(builder.gitFetches, [{ image: 'repo', url: 'https://git.example/r.git', branch: 'main', credential: { username: 'bot', password: 's3cr3t-tok' } }]);
    assert.match(resolved.repo!.ref, /^caisson\/repo:[0-9a-f]{12}$/);
    assert.match(builder.builds[0]!.plan.dockerfile, /CAISSON_GIT_SHA=0123456789abcdef0123456789abcdef01234567/);
    assert.deepEqual(images.secretNames(ir), ['GIT_TOKEN']);
  });

  it('a copyCredentials secret set nowhere fails the resolve naming the image, the option and how to set it', async () => {
    const { builder, images } = setup();
    const repo = image({ copyUrl: 'https://git.example/r.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'repo' });
    await assert.rejects(images.resolveAll(compile(pipeline('p', { image: repo }).exec('a', 'true')), { secrets: staticSecrets({}, 'set it somewhere') }),
      (e: unknown) => e instanceof ImageBuildError && e.message === 'image "repo": copyCredentials: secret "GIT_TOKEN" is not set; set it somewhere');
    assert.equal(builder.gitFetches.length, 0);
  });

  it('paths are checked when the image resolves, naming the image, the option and the folder they resolved from', async () => {
    const { images } = setup();
    const dockerfiles = createCaisson({ plugins: [fakeRuntime(), dockerfileImages(), { name: 'fake-builder', imageBuilder: new FakeImageBuilder() }] }).images;
    const here = import.meta.dirname;
    const cases: Array<[ImageSpecError['image'], Parameters<typeof image>[0], typeof images, RegExp]> = [
      ['nodir', { ref: 'busybox:latest', copyDir: './nope', name: 'nodir' }, images, /^image "nodir": copyDir: no directory at .*\/nope \(relative paths resolve from .*image, the folder of the file that defined the image/],
      ['nofile', { dockerfile: './Nope.Dockerfile', name: 'nofile' }, dockerfiles, /^image "nofile": dockerfile: no file at .*\/Nope\.Dockerfile \(relative paths resolve from/],
      ['noctx', { dockerfileText: 'FROM busybox:latest', context: './nope', name: 'noctx', dir: here }, dockerfiles, new RegExp(`^image "noctx": context: no directory at ${here}/nope \\(relative paths resolve from ${here},`)],
    ];
    for (const [name, options, service, message] of cases) {
      const ir = compile(pipeline('p', { image: image(options) }).exec('a', 'true'));
      await assert.rejects(service.resolveAll(ir), (e: unknown) => e instanceof ImageSpecError && e.image === name && message.test(e.message));
    }
  });

  it('an image kind no plugin added is a plugin error naming the image and the kind', async () => {
    const { images } = setup();
    const ir = compile(pipeline('p', { image: image({ provider: 'motd', params: {}, name: 'm' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir), /image "m": no image kind "motd" \(have: base-reqs, git\)/);
  });

  it('installs on an unknown distro fail before building, naming the image and the distro', async () => {
    const { builder, images } = setup();
    builder.osRelease['busybox:latest'] = 'ID=busybox\nVERSION_ID=v1.35.0';
    const ir = compile(pipeline('p', { image: image({ ref: 'busybox:latest', installPackages: ['jq'], name: 'bb' }) }).exec('a', 'true'));
    const e = await rejectsCode(images.resolveAll(ir), 'IMAGE_SPEC', { image: 'bb', option: 'installPackages' });
    assert.match(e.message, /distro "busybox"/);
    assert.equal(builder.builds.length, 0);
  });
});
