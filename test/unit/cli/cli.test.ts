// The command driven as a subprocess, the way users run it. Uses the fake runtime: no Docker needed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../../helpers/cli.ts';
import { copyFromCheckout, removeProject, tempProject } from '../../helpers/temp-project.ts';

const fixture = (name: string) => join('test/fixtures/cli', name);

describe('caisson command', function () {
  this.timeout(30_000);
  // Copies at the checkout's relative paths (messages name them so), in a temp project: runs record
  // next to the pipeline file, and that must not be in the checkout.
  let dir: string;
  before(() => { dir = tempProject('cli'); copyFromCheckout(dir, 'examples/hello.ts', 'test/fixtures/cli'); });
  after(() => removeProject(dir));
  const caisson = (...args: string[]) => runCaisson(dir, ...args);

  it('run --runtime fake: exit 0 when the root is done, a line per node', () => {
    const r = caisson('run', 'examples/hello.ts', '--runtime', 'fake');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\/hello\/fan-out\/two {2}done/);
    assert.match(r.stdout, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 7 {2}E 0 {2}K 0/m);
  });

  it('run --runtime fake of a pipeline with a built image: no builder, every node done', () => {
    const r = caisson('run', fixture('built-image.ts'), '--runtime', 'fake');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/built\/lint {2}done/);
    assert.match(r.stdout, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 3 {2}E 0 {2}K 0/m);
  });

  it('run --dry-run prints the plan and starts nothing', () => {
    const dry = caisson('run', fixture('failing.ts'), '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /3 exec nodes would run/);
    assert.match(dry.stdout, /global reuse pool: 3 nodes/);
    assert.doesNotMatch(dry.stdout, /would fail/);
  });

  it('run --dry-run lists the nodes the chosen runtime would refuse, with the error each would fail with', () => {
    const swarm = caisson('run', fixture('refused.ts'), '--runtime', 'swarm', '--dry-run');
    assert.equal(swarm.code, 0, swarm.stderr);
    assert.match(swarm.stdout, /^would fail on the swarm runtime \(2 nodes\):\n {2}\/refused\/docker-in: requiresDocker is Docker-only, and the swarm runtime does not honour Docker settings; .*\n {2}\/refused\/gpu: gpu is not supported by the swarm runtime; .*\n/m);
    assert.doesNotMatch(swarm.stdout, /\/refused\/fine:/);
    const docker = caisson('run', fixture('refused.ts'), '--dry-run');
    assert.equal(docker.code, 0, docker.stderr);
    assert.doesNotMatch(docker.stdout, /would fail/, 'Docker honours both');
  });

  it('--export picks a named export, and a function export is called', () => {
    const r = caisson('compile', fixture('failing.ts'), '--export', 'named');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).name, 'named');
  });

  it('--no-typecheck loads a file with a type error (tsx strips types)', () => {
    const r = caisson('compile', fixture('type-error.ts'), '--no-typecheck');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"command": "echo three"/);
  });

  it('--version prints the package\'s version and exits 0', () => {
    const r = caisson('--version');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), (JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { version: string }).version);
  });

  it('pretty prints the tree', () => {
    const r = caisson('pretty', 'examples/hello.ts');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\/hello\n├─0 greet {3}echo/);
  });

  const badInput: Array<[string, string[], RegExp]> = [
    ['a missing file', ['run', 'nope.ts'], /^caisson: nope\.ts: no such file\n$/],
    ['an unknown export', ['run', fixture('failing.ts'), '--export', 'nosuch'], /no export named "nosuch"; it exports: default, named, notAPipeline/],
    ['an export that is not a pipeline', ['pretty', fixture('failing.ts'), '--export', 'notAPipeline'], /export "notAPipeline" is not a pipeline \(got an object\)/],
    ['a syntax error', ['pretty', fixture('syntax-error.ts')], /syntax-error\.ts: syntax error: test\/fixtures\/cli\/syntax-error\.ts:4:21: '\)' expected/],
    ['a syntax error, unchecked', ['pretty', fixture('syntax-error.ts'), '--no-typecheck'], /syntax-error\.ts:4:20: Expected "\)" but found ";"/],
    ['a type error', ['compile', fixture('type-error.ts')], /type-error\.ts: type error: test\/fixtures\/cli\/type-error\.ts:3:7: Type 'string' is not assignable to type 'number'\. \(TS2322\); fix it, or pass --no-typecheck/],
    ['a bad option value', ['compile', fixture('bad-option.ts')], /\/bad\/slow: maxTime/],
    ['a plugins export that is not plugins', ['run', fixture('bad-plugins.ts'), '--dry-run'], /^caisson: \S*bad-plugins\.ts: export "plugins" must be an array of plugins \(\{ name, runtime\?, clock\?, imageBuilder\?, imageKinds\?, nativeBundler\? \}\)/],
    ['an image kind no plugin provides', ['run', fixture('unknown-kind.ts'), '--no-typecheck'], /^caisson: image "m": no image kind "motd" \(have: [^)]*\); add its plugin: export it from the pipeline file \(export const plugins = \[\.\.\.\]\)/],
    ['an image kind no plugin provides, on --dry-run', ['run', fixture('unknown-kind.ts'), '--dry-run', '--no-typecheck'], /^caisson: image "m": no image kind "motd" \(have: [^)]*\); add its plugin/],
    ['an unknown runtime', ['run', 'examples/hello.ts', '--runtime', 'k8s'], /unknown runtime "k8s"; choose one of: docker, swarm, fake/],
    ['a bad capacity', ['run', 'examples/hello.ts', '--cpu', '0'], /--cpu: expected a number > 0, got "0"/],
  ];
  for (const [what, args, message] of badInput) {
    it(`${what}: one clear line, exit 2, no stack trace`, () => {
      const r = caisson(...args);
      assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    });
  }
});
