import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { canonicalJson, compile, decodePipeline, encodePipeline, image, ImageSpecError, pipeline, relpath } from '../../../core/index.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixture');

/** Asserts image() throws an ImageSpecError naming the image and the option. */
const rejects = (options: Parameters<typeof image>[0], option: string, text: RegExp) =>
  assert.throws(() => image(options), (e: unknown) => e instanceof ImageSpecError && e.message.startsWith(`image "${options.name ?? options.ref ?? '(unnamed image)'}": ${option}:`) && text.test(e.message));

describe('image(): the full spec', () => {
  after(() => temps.removeAll());
  it('picks the kind from the options and resolves paths from the calling file, not the cwd', () => {
    const cwd = process.cwd();
    process.chdir('/');
    try {
      const img = image({ ref: 'busybox:latest', copyDir: './fixture/app', installPackages: ['jq'], name: 'app' });
      assert.equal(img.spec.kind, 'base-reqs');
      assert.equal((img.spec as { copyDir: string }).copyDir, join(fixture, 'app'));
      assert.deepEqual(img.spec.pathMap, { [join(fixture, 'app')]: '/mnt/caisson' });
      assert.equal(image({ dockerfile: './fixture/Dockerfile', name: 'd' }).spec.kind, 'dockerfile');
      assert.equal((image({ dockerfile: './fixture/Dockerfile', name: 'd' }).spec as { context: string }).context, fixture);
      assert.equal(image({ copyUrl: 'https://example.invalid/r.git', copyBranch: 'main', name: 'g' }).spec.kind, 'git');
      assert.equal(image({ ref: 'node:20' }).spec.kind, 'ref');
      assert.equal(image({ provider: 'motd', params: { text: 'hi' }, name: 'm' }).spec.kind, 'custom');
    } finally {
      process.chdir(cwd);
    }
  });

  it('enforces each §2.3 rule with the image and option named', () => {
    rejects({ ref: 'a', dockerfile: 'D', name: 'x' }, 'ref/dockerfile/dockerfileText', /at most one of them: ref=a dockerfile=D/);
    rejects({ dockerfile: './fixture/Dockerfile', dockerfileText: 'FROM a', name: 'x' }, 'ref/dockerfile/dockerfileText', /dockerfileText=\(6 chars\)/);
    rejects({ copyDir: './fixture', copyUrl: 'https://h/r.git', copyBranch: 'm', name: 'x' }, 'copyDir', /must not specify copyDir/);
    rejects({ copyUrl: 'https://h/r.git', name: 'x' }, 'copyBranch', /must also specify copyBranch/);
    rejects({ copyUrl: 's3://bucket/k', name: 'x' }, 'copyUrl', /s3:\/\/ sources are not supported/);
    rejects({ copyDir: './nope', name: 'x' }, 'copyDir', /no directory at .*nope \(relative paths resolve from/);
    rejects({ ref: 'a', dockerBuildArgs: { A: '1' }, name: 'x' }, 'dockerBuildArgs', /dockerfile or dockerfileText only/);
    rejects({ dockerfileText: 'FROM a\nCOPY . /x', name: 'x' }, 'context', /needs an explicit context/);
    rejects({ ref: 'a', installPackages: ['ok', ''], name: 'x' }, 'installPackages', /array of non-empty strings/);
    rejects({ ref: 'a', copyBranch: 'main', name: 'x' }, 'copyBranch', /needs copyUrl or copyRepo/);
    rejects({ ref: 'a', copyRepo: true, copyDir: '.', name: 'x' }, 'copyRepo', /do not combine/);
  });

  it('a reference beginning with "-" is refused at image() time, also as a plain string on a node (it would reach docker as a flag)', () => {
    rejects({ ref: '--privileged', name: 'x' }, 'ref', /must not begin with "-"/);
    rejects({ image: '-v', name: 'x' }, 'image', /must not begin with "-"/);
    rejects({ copyUrl: 'https://h/r.git', copyBranch: '--upload-pack=touch /tmp/x', name: 'x' }, 'copyBranch', /must not begin with "-"/);
    assert.throws(() => compile(pipeline('p', { image: '--network=host' }).exec('a', 'true')),
      (e: unknown) => e instanceof ImageSpecError && /ref: .*must not begin with "-"/.test(e.message));
  });

  it('a build arg that is not a string names the key and the image (a dockerfile image by the name it would get)', () => {
    const named = (options: Parameters<typeof image>[0], message: string) =>
      assert.throws(() => image(options), (e: unknown) => e instanceof ImageSpecError && e.message === message);
    named({ dockerfileText: 'FROM busybox:latest', dockerBuildArgs: { OK: 'x', A: 1 } as never },
      'image "image-dockerfile": dockerBuildArgs: A: expected a string, got 1 (write "1")');
    named({ dockerfile: './fixture/Dockerfile', dockerBuildArgs: { DEBUG: true } as never },
      'image "fixture-dockerfile": dockerBuildArgs: DEBUG: expected a string, got true (write "true")');
    named({ ref: 'busybox:latest', pathMap: { '.': 7 } as never }, 'image "busybox-latest": pathMap: .: expected a string, got 7 (write "7")');
    named({ ref: 'busybox:latest', installPackages: ['jq', 3] as never }, 'image "busybox-latest": installPackages: expected an array of non-empty strings; entry 1 is 3');
  });

  it('copyRepo copies the enclosing checkout (this repository) and maps its root to /mnt/caisson', () => {
    const img = image({ ref: 'busybox:latest', copyRepo: true, name: 'repo' });
    const spec = img.spec as { kind: string; copyDir: string; copyGit: boolean };
    const root = join(here, '..', '..', '..');
    assert.equal(spec.kind, 'base-reqs');
    assert.equal(spec.copyDir, root);
    assert.equal(spec.copyGit, true);
    assert.deepEqual(img.spec.pathMap, { [root]: '/mnt/caisson' });
  });

  it('copyRepo in a file outside any git checkout names that directory', async () => {
    const dir = temps.make('nogit');
    const file = join(dir, 'pipeline.ts');
    writeFileSync(file, `import { image } from ${JSON.stringify(join(here, '..', '..', '..', 'core', 'index.ts'))};\nexport const make = () => image({ ref: 'busybox:latest', copyRepo: true, name: 'r' });\n`);
    const mod = (await import(pathToFileURL(file).href)) as { make: () => unknown };
    assert.throws(() => mod.make(), (e: unknown) => e instanceof ImageSpecError && e.message === `image "r": copyRepo: copyRepo: true was specified, but could not find the git root for ${dir}`);
  });

  it('keeps copyUrl credentials out of the spec and the IR', () => {
    const img = image({ copyUrl: 'https://bot:s3cr3t-tok@git.example.invalid/acme/app.git', copyBranch: 'main', name: 'private' });
    const ir = compile(pipeline('p', { image: img }).exec('a', 'true'));
    const dump = canonicalJson(ir);
    assert.ok(!dump.includes('s3cr3t-tok'), dump);
    assert.match(dump, /https:\/\/bot:\*\*\*@git\.example\.invalid\/acme\/app\.git/);
    assert.match((ir.images.private as { credentials: string }).credentials, /^cred-[0-9a-f]{12}$/);
  });

  it('every built kind survives decode → encode', () => {
    const ir = compile(pipeline('p', { image: image({ ref: 'busybox:latest', copyDir: './fixture/app', installPip: ['./pkg'], installNpm: true, name: 'a' }) })
      .exec('a', 'true')
      .exec('b', 'true', { image: image({ dockerfileText: 'FROM busybox:latest', dockerBuildArgs: { X: '1' }, context: './fixture', name: 'b' }) })
      .exec('c', 'true', { image: image({ copyUrl: 'https://h.invalid/r.git', copyBranch: 'main', installDocker: true, name: 'c' }) })
      .exec('d', 'true', { image: image({ provider: 'motd', params: { text: 'hi' }, name: 'd' }) }));
    const json = JSON.parse(canonicalJson(ir));
    assert.deepEqual(encodePipeline(decodePipeline(json)), json);
  });

  it('relpath() becomes the in-container path: relative under /mnt/caisson with auto workdir, absolute otherwise', () => {
    const auto = image({ ref: 'busybox:latest', copyDir: './fixture', name: 'auto' });
    const noAuto = image({ ref: 'busybox:latest', copyDir: './fixture', dockerAutoWorkdir: false, name: 'abs' });
    const mapped = image({ ref: 'busybox:latest', pathMap: { './fixture': '/code' }, name: 'mapped' });
    const ir = compile(pipeline('p')
      .exec('a', `python ${relpath('./fixture/app/main.py')}`, { image: auto })
      .exec('b', ['python', relpath('./fixture/app/main.py')], { image: noAuto })
      .exec('c', `cat ${relpath('./fixture/app/main.py')}`, { image: mapped }));
    const [a, b, c] = (ir.root as { children: Array<{ command: unknown }> }).children;
    assert.equal(a!.command, 'python app/main.py');
    assert.deepEqual(b!.command, ['python', '/mnt/caisson/app/main.py']);
    assert.equal(c!.command, 'cat /code/app/main.py');
  });

  it('relpath() with no mapping for the path is a clear error naming the node and image', () => {
    assert.throws(() => compile(pipeline('p').exec('a', `cat ${relpath('./fixture/app/main.py')}`, { image: 'busybox:latest' })),
      /\/p\/a: command references local code .* but image "busybox-latest" does not say where it is inside the container; give the image copyDir, copyRepo or a pathMap/);
  });
});
