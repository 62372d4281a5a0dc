import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdirSync, writeFileSync } from 'node:fs';
import { canonicalJson, compile, decodePipeline, encodePipeline, image, ImageSpecError, pipeline, relpath, secret } from '../../../core/index.ts';
import { pickCallerFile } from '../../../core/dsl/image-caller.ts';
import { throwsCode } from '../../helpers/errors.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixture');

/** Asserts image() throws an ImageSpecError naming the image and the option, for the rule `text` states. */
const rejects = (options: Parameters<typeof image>[0], option: string, text: RegExp) =>
  assert.match(throwsCode(() => image(options), 'IMAGE_SPEC', { image: options.name ?? options.ref ?? '(unnamed image)', option }).message, text);

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

  it('enforces each image rule (docs/conducto-semantics.md#image-rules) with the image and option named', () => {
    rejects({ ref: 'a', dockerfile: 'D', name: 'x' }, 'ref/dockerfile/dockerfileText', /at most one of them: ref=a dockerfile=D/);
    rejects({ dockerfile: './fixture/Dockerfile', dockerfileText: 'FROM a', name: 'x' }, 'ref/dockerfile/dockerfileText', /dockerfileText=\(6 chars\)/);
    rejects({ copyDir: './fixture', copyUrl: 'https://h/r.git', copyBranch: 'm', name: 'x' }, 'copyDir', /must not specify copyDir/);
    rejects({ copyUrl: 'https://h/r.git', name: 'x' }, 'copyBranch', /must also specify copyBranch/);
    rejects({ copyUrl: 's3://bucket/k', name: 'x' }, 'copyUrl', /s3:\/\/ sources are not supported/);
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
    assert.match(throwsCode(() => compile(pipeline('p', { image: '--network=host' }).exec('a', 'true')), 'IMAGE_SPEC', { option: 'ref' }).message, /must not begin with "-"/);
  });

  it('a build arg that is not a string names the key and the image (a dockerfile image by the name it would get)', () => {
    const named = (options: Parameters<typeof image>[0], name: string, option: string, key: RegExp) =>
      assert.match(throwsCode(() => image(options), 'IMAGE_SPEC', { image: name, option }).message, key);
    named({ dockerfileText: 'FROM busybox:latest', dockerBuildArgs: { OK: 'x', A: 1 } as never }, 'image-dockerfile', 'dockerBuildArgs', /: A: expected a string, got 1 \(write "1"\)$/);
    named({ dockerfile: './fixture/Dockerfile', dockerBuildArgs: { DEBUG: true } as never }, 'fixture-dockerfile', 'dockerBuildArgs', /: DEBUG: expected a string/);
    named({ ref: 'busybox:latest', pathMap: { '.': 7 } as never }, 'busybox-latest', 'pathMap', /: \.: expected a string, got 7/);
    named({ ref: 'busybox:latest', installPackages: ['jq', 3] as never }, 'busybox-latest', 'installPackages', /entry 1 is 3$/);
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
    assert.ok(throwsCode(() => mod.make(), 'IMAGE_SPEC', { image: 'r', option: 'copyRepo' }).message.endsWith(`could not find the git root for ${dir}`));
  });

  it('touches no path while defining: a missing copyDir, dockerfile or context is only an error when the image resolves', () => {
    assert.equal(image({ ref: 'busybox:latest', copyDir: './nope', name: 'x' }).spec.kind, 'base-reqs');
    assert.equal(image({ dockerfile: './Nope.Dockerfile', name: 'y' }).spec.kind, 'dockerfile');
    assert.equal(image({ dockerfileText: 'FROM a', context: './nope', name: 'z' }).spec.kind, 'dockerfile');
  });

  it('a copyUrl token goes in as copyCredentials: the IR holds the secret\'s name only', () => {
    const img = image({ copyUrl: 'https://bot@git.example.invalid/acme/app.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'private' });
    const ir = compile(pipeline('p', { image: img }).exec('a', 'true'));
    assert.deepEqual(ir.images.private, {
      kind: 'git', name: 'private', ref: 'debian:bookworm-slim', dir: here, dockerAutoWorkdir: true,
      copyUrl: 'https://bot@git.example.invalid/acme/app.git', copyBranch: 'main', copyGit: true, copyCredentials: 'GIT_TOKEN',
    });
    rejects({ copyUrl: 'https://h/r.git', copyBranch: 'main', copyCredentials: 'tok' as never, name: 'x' }, 'copyCredentials', /expected secret\("NAME"\), got a plain value/);
    rejects({ ref: 'a', copyCredentials: secret('T'), name: 'x' }, 'copyCredentials', /applies to copyUrl, or to copyRepo with copyBranch/);
  });

  it('relative paths resolve from dir when it is given, not from the calling file; dir must be absolute', () => {
    const img = image({ ref: 'busybox:latest', copyDir: './app', dir: '/srv/project', name: 'elsewhere' });
    assert.equal((img.spec as { copyDir: string }).copyDir, '/srv/project/app');
    assert.equal((img.spec as { dir: string }).dir, '/srv/project');
    rejects({ ref: 'busybox:latest', copyDir: '.', dir: 'relative', name: 'x' }, 'dir', /expected the absolute folder relative paths resolve from, like import\.meta\.dirname, got "relative"/);
    const marked = compile(pipeline('p', { image: img }).exec('a', `cat ${relpath('./app/x.txt', '/srv/project')}`));
    assert.equal((marked.root as { children: Array<{ command: string }> }).children[0]!.command, 'cat x.txt');
  });

  it('copyRepo with copyBranch clones the origin: a credential in its URL is not copied into the pipeline, copyCredentials carries the token', () => {
    const repo = temps.make('origin');
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/dev\n');
    writeFileSync(join(repo, '.git', 'config'), '[remote "origin"]\n\turl = https://gitlab-ci-token:glcbt-64chars@git.example/acme/app.git\n');
    assert.throws(() => image({ copyRepo: true, copyBranch: 'main', dir: repo, name: 'ci' }), (e: unknown) =>
      e instanceof ImageSpecError && e.message === `image "ci": copyRepo: the origin URL of ${repo} holds a credential (not shown), which Caisson does not copy into a pipeline; pass the token as copyCredentials: secret("NAME")`);
    const spec = image({ copyRepo: true, copyBranch: 'main', copyCredentials: secret('CI_JOB_TOKEN'), dir: repo, name: 'ci' }).spec as { copyUrl: string; copyCredentials: string };
    assert.equal(spec.copyUrl, 'https://gitlab-ci-token@git.example/acme/app.git');
    assert.equal(spec.copyCredentials, 'CI_JOB_TOKEN');
    const local = image({ copyRepo: true, dir: repo, name: 'local' }).spec as { copyDir: string; gitUrl: string; copyBranch: string };
    assert.deepEqual([local.copyDir, local.gitUrl, local.copyBranch], [repo, 'https://git.example/acme/app.git', 'dev']);
  });

  it('without dir, the calling file is read off the call stack, whatever form the platform gives its name in', () => {
    const lib = '/opt/app/node_modules/caisson/dist/core';
    assert.equal(pickCallerFile(['/opt/app/node_modules/caisson/dist/core/dsl/image.js', 'node:internal/x', 'file:///home/me/p/ci.ts'], lib, false), '/home/me/p/ci.ts');
    assert.equal(pickCallerFile(['C:\\app\\node_modules\\caisson\\dist\\core\\dsl\\image.js', 'file:///C:/Users/me/p/ci.ts'], 'C:\\app\\node_modules\\caisson\\dist\\core', true), 'C:\\Users\\me\\p\\ci.ts');
    assert.equal(pickCallerFile(['C:\\Users\\me\\p\\ci.cjs'], 'C:\\caisson\\core', true), 'C:\\Users\\me\\p\\ci.cjs');
    assert.equal(pickCallerFile(['/w/caisson/core/dsl/image.ts', '/w/caisson/core/options/image-option.ts'], '/w/caisson/core', false), undefined, 'frames inside Caisson are never the caller');
    assert.equal((image({ ref: 'busybox:latest', copyDir: '.', name: 'here' }).spec as { dir: string }).dir, here);
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
    const e = throwsCode(() => compile(pipeline('p').exec('a', `cat ${relpath('./fixture/app/main.py')}`, { image: 'busybox:latest' })), 'DSL', { path: '/p/a', option: 'image' });
    assert.match(e.message, /image "busybox-latest" does not say where it is inside the container/);
  });
});
