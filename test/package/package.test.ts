// Caisson as a user gets it: the packed tarball installed into a fresh `npm init -y` project (CommonJS
// by default), used from there the way the README's Install section says, with nothing from this
// checkout on the path. Defects a user would hit at the first step (a package that cannot be imported
// from plain Node, a .ts pipeline that cannot load in a CommonJS project) fail here.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireDocker } from '../helpers/docker.ts';
import { makeUserProject, packTarball, tarballFiles } from './support/user-project.ts';

const ROOT = join(import.meta.dirname, '../..');

/** The README's Install section: its code blocks by the file name their first line gives (`// hello.ts`). */
function installBlocks(): Record<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Install, in your own project')[1]!.split('\n## ')[0]!;
  const out: Record<string, string> = {};
  for (const m of section.matchAll(/```(?:ts|js)\n\/\/ (\S+)\n([\s\S]*?)```/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Runs a command in the user's project with the project's own bin folder first on the PATH. */
function inProject(dir: string, command: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}` };
  delete env.NODE_OPTIONS;
  const r = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the package in a user project', function () {
  this.timeout(180_000);
  let work: string;
  let tarball: string;
  let project: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'caisson-pack-'));
    tarball = packTarball(work);
    project = makeUserProject(tarball, ['mocha']);
  });
  after(() => {
    for (const dir of [work, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the tarball holds the compiled package and its docs, and nothing of tests, benches, scripts or CI', () => {
    const files = tarballFiles(tarball);
    // docs/*.md and docs/ui/*.png: the README links the pages and shows the web UI's screenshots.
    const outside = files.filter((f) => !f.startsWith('dist/') && !/^docs\/([^/]+\.md|ui\/[^/]+\.png)$/.test(f) && !['bin/caisson.js', 'README.md', 'LICENSE', 'package.json'].includes(f));
    assert.deepEqual(outside, []);
    // Every relative link and image of the README resolves in the package, where npm and editors show it.
    const linked = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    assert.ok(linked.includes('docs/swarm.md') && linked.includes('docs/ui/run-view.png'), `links found: ${linked.join(', ')}`);
    assert.deepEqual(linked.filter((l) => !files.includes(l)), [], 'README links to files the package lacks');
    assert.deepEqual(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')), [], 'no TypeScript sources ship');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string> | string> };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const condition of ['types', 'import', 'default']) {
        assert.ok(files.includes(target[condition]!.replace(/^\.\//, '')), `${entry}: its "${condition}" file ${target[condition]} is not in the tarball`);
      }
    }
  });

  it("the README's Install section, as written: app.mjs under plain node, and the mocha test of hello.ts", () => {
    const blocks = installBlocks();
    assert.deepEqual(Object.keys(blocks).sort(), ['app.mjs', 'hello.ts', 'test/hello.test.ts']);
    mkdirSync(join(project, 'test'), { recursive: true });
    for (const [name, text] of Object.entries(blocks)) writeFileSync(join(project, name), text);

    const app = inProject(project, process.execPath, ['app.mjs']);
    assert.equal(app.stderr, '');
    assert.equal(JSON.parse(app.stdout).apiVersion, 'caisson/v1');

    const test = inProject(project, 'npx', ['mocha', '--import=tsx', 'test/hello.test.ts']);
    assert.equal(test.code, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /1 passing/);
  });

  it("a user's mocha test runs a pipeline with a dockerfile image on the fake runtime (built images are placeholders)", () => {
    mkdirSync(join(project, 'test'), { recursive: true });
    writeFileSync(join(project, 'Dockerfile'), 'FROM busybox:latest\nRUN echo built > /built\n');
    writeFileSync(join(project, 'ci.ts'), [
      "import { image, pipeline } from 'caisson';",
      "const app = image({ dockerfile: './Dockerfile', name: 'app' });",
      "export default pipeline('ci', { image: app })",
      "  .exec('build', 'make')",
      "  .parallel('checks', (p) => p.exec('lint', 'make lint').exec('unit', 'make test'));",
    ].join('\n'));
    writeFileSync(join(project, 'test/ci.test.ts'), [
      "import { strict as assert } from 'node:assert';",
      "import { runFake } from 'caisson/testing';",
      "import ci from '../ci.ts';",
      "describe('ci', () => {",
      "  it('a failing unit test fails the run', async () => {",
      "    const { result, fake } = await runFake(ci, { scripts: { '/ci/checks/unit': { exitCode: 1 } } });",
      "    assert.equal(result.state, 'error');",
      "    assert.deepEqual(result.failed, ['/ci/checks/unit']);",
      "    assert.equal(fake.callsOf('/ci/build')[0].image, 'caisson/app:fake');",
      '  });',
      '});',
    ].join('\n'));
    const r = inProject(project, 'npx', ['mocha', '--import=tsx', 'test/ci.test.ts']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 passing/);
  });

  it('plain node require()s caisson and caisson/testing from CommonJS', () => {
    writeFileSync(join(project, 'app.cjs'), [
      "const { pipeline, compile } = require('caisson');",
      "const { runFake } = require('caisson/testing');",
      "runFake(pipeline('y').exec('a', 'true')).then(({ result }) => console.log(compile(pipeline('y').exec('a', 'true')).name, result.state));",
    ].join('\n'));
    const cjs = inProject(project, process.execPath, ['app.cjs']);
    assert.equal(cjs.stderr, '');
    assert.equal(cjs.stdout.trim(), 'y done');
  });

  it('npx caisson loads a pipeline file of every module kind in a CommonJS project, and in an ES module folder', () => {
    const files: Record<string, string> = {
      'p-ts.ts': "import { pipeline } from 'caisson';\nexport default pipeline('p-ts').exec('a', 'true');\n",
      'p-cts.cts': "import { pipeline } from 'caisson';\nexport default pipeline('p-cts').exec('a', 'true');\n",
      'p-mts.mts': "import { pipeline } from 'caisson';\nexport default pipeline('p-mts').exec('a', 'true');\n",
      'p-js.js': "const { pipeline } = require('caisson');\nmodule.exports = pipeline('p-js').exec('a', 'true');\n",
      'p-mjs.mjs': "import { pipeline } from 'caisson';\nexport const ci = () => pipeline('p-mjs').exec('a', 'true');\n",
      'esm/p-esm.ts': "import { pipeline } from 'caisson';\nexport default pipeline('p-esm').exec('a', 'true');\n",
      'esm/package.json': '{ "type": "module" }\n',
    };
    mkdirSync(join(project, 'esm'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
    for (const name of Object.keys(files).filter((n) => !n.endsWith('.json'))) {
      const r = inProject(project, 'npx', ['caisson', 'pretty', name, ...(name.endsWith('.mjs') ? ['--export', 'ci'] : [])]);
      assert.equal(r.stderr, '', `${name}: ${r.stderr}`);
      assert.equal(r.code, 0, name);
      assert.match(r.stdout, new RegExp(`^/${name.replace(/^esm\//, '').replace(/\..*$/, '')}\\n`), name);
    }
  });

  it('a type error in a TypeScript pipeline is one line naming the file and line, exit 2', () => {
    writeFileSync(join(project, 'typo.ts'), "import { pipeline } from 'caisson';\nexport default pipeline('t').exec('a', 42);\n");
    const r = inProject(project, 'npx', ['caisson', 'pretty', 'typo.ts']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^caisson: typo\.ts: type error: typo\.ts:2:\d+: /);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('npx caisson resume of a .ts pipeline\'s run (it loads the file again, for its plugins)', () => {
    // In a folder of its own: its record must not count as the hello run's below.
    const more = join(project, 'more');
    mkdirSync(more, { recursive: true });
    writeFileSync(join(more, 'again.ts'), "import { pipeline } from 'caisson';\nexport default pipeline('again').exec('a', 'true').exec('b', 'true');\n");
    const run = inProject(more, 'npx', ['caisson', 'run', '--runtime', 'fake', 'again.ts']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const id = /run (\S+) of again started/.exec(run.stdout)![1]!;
    assert.equal(inProject(more, 'npx', ['caisson', 'reset', id, '/again/b']).code, 0);
    const resumed = inProject(more, 'npx', ['caisson', 'resume', id]);
    assert.equal(resumed.stderr, '');
    assert.equal(resumed.code, 0, resumed.stdout);
  });

  it('a native function of a .ts file runs on --runtime fake in a CommonJS project; an error shows the user\'s frames only', () => {
    const more = join(project, 'more');
    mkdirSync(more, { recursive: true });
    writeFileSync(join(more, 'nat.ts'), [
      "import { pipeline } from 'caisson';",
      'export function words(text: string): number { return text.split(" ").length; }',
      'export function boom(): never { throw new Error("kaboom"); }',
      "export default pipeline('nat', { stopOnError: false }).exec('count', words, 'one two three').exec('boom', boom);",
      '',
    ].join('\n'));
    const r = inProject(more, 'npx', ['caisson', 'run', '--runtime', 'fake', 'nat.ts']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\/nat\/count {2}done: returned 3/);
    // The error's stack as the log keeps it: the user's frame, none of the installed package's own.
    const run = /recorded in \S+ \(caisson show (\S+)\)/.exec(r.stdout)![1]!;
    const log = inProject(more, 'npx', ['caisson', 'logs', run, '/nat/boom']);
    assert.match(log.stderr, /Error: kaboom\n\s+at boom \(\S*nat\.ts:3:\d+\)/);
    assert.doesNotMatch(log.stderr, /node_modules[\\/]caisson|node:internal/, log.stderr);
  });

  it('a native function runs in a container on Docker: the installed package bundles its in-container entry', async function () {
    await requireDocker(this);
    const more = join(project, 'native-docker');
    mkdirSync(more, { recursive: true });
    writeFileSync(join(more, 'nat.ts'), [
      "import { image, pipeline, pipelineData } from 'caisson';",
      "const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });",
      'export function words(text: string): number { pipelineData.put("n", String(text.split(" ").length)); return text.split(" ").length; }',
      "export default pipeline('nat', { image: node }).exec('count', words, 'one two three').exec('read', 'caisson-data get n');",
      '',
    ].join('\n'));
    const r = inProject(more, 'npx', ['caisson', 'run', 'nat.ts']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/nat\/count {2}done: returned 3/);
    assert.match(r.stdout, /\/nat\/read\s+\| 3\n/);
  });

  it('the installed Docker client loads neither ssh2 nor gRPC (dockerode loads them only when used)', () => {
    const script = [
      "import('caisson/docker').then(({ dockerRuntime }) => {",
      '  const plugin = dockerRuntime();',
      '  plugin.runtime.prepare();',
      "  const loaded = Object.keys(require.cache).filter((k) => /node_modules\\/(ssh2|@grpc|protobufjs)\\//.test(k));",
      "  const dockerode = Object.keys(require.cache).some((k) => /node_modules\\/dockerode\\//.test(k));",
      '  console.log(JSON.stringify({ loaded, dockerode }));',
      '  process.exit(0);',
      '});',
    ].join('\n');
    const r = inProject(project, 'node', ['-e', script]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { loaded: [], dockerode: true });
  });

  it('npx caisson ui serves the web app and its browser libraries from the installed package', async () => {
    const { spawn } = await import('node:child_process');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PATH: `${join(project, 'node_modules/.bin')}:${process.env.PATH}` };
    delete env.NODE_OPTIONS;
    // Its own process group: npx does not pass a signal on to the caisson it started, so the whole group is stopped.
    const child = spawn('npx', ['caisson', 'ui', '--port', '0'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => { out += c; const m = out.match(/https?:\/\/[^\s]+/); if (m) done(m[0].replace(/\/$/, '')); });
        child.on('exit', (code) => fail(new Error(`caisson ui exited ${code}: ${out}`)));
      });
      const origin = new URL(url).origin;
      // The printed URL carries the token; the session cookie it sets lets the later requests in.
      const login = await fetch(url, { redirect: 'manual' });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      for (const path of ['/app/index.html', '/app/main.js', '/vendor/preact-htm.js', '/vendor/xterm.js']) {
        const res = await fetch(`${origin}${path}`, { headers: { cookie } });
        assert.equal(res.status, 200, path);
        assert.ok((await res.text()).length > 100, path);
      }
    } finally {
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
  });

  it("npx caisson run runs the README's hello.ts for real on Docker and records it next to the file", async function () {
    await requireDocker(this);
    writeFileSync(join(project, 'hello.ts'), installBlocks()['hello.ts']!);
    const r = inProject(project, 'npx', ['caisson', 'run', 'hello.ts']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/hello\/greet\s+\| hello from [0-9a-f]{12}\n/);
    assert.match(r.stdout, /\/hello\/checks\/two\s+\| two\n/);
    assert.match(r.stdout, /DONE\s+P 0\s+Q 0\s+R 0\s+D 5\s+E 0\s+K 0/);
    assert.equal(readdirSync(join(project, '.caisson/runs')).length, 1, 'one run recorded next to the pipeline file');
  });
});
