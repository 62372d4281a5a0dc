// What image() writes into each kind of spec, how commands and secrets are checked, the service and
// compile() refusals word for word, and how two images of one derived name are told apart.
import { strict as assert } from 'node:assert';
import { compile, hostCommand, image, isSecret, pipeline, secret, serial, type ContainerNode, type ExecNode } from '../../../core/index.ts';
import { throwsCode } from '../../helpers/errors.ts';

const refuses = (fn: () => unknown, data: Record<string, string>, message: string) =>
  assert.equal(throwsCode(fn, 'DSL', data).message, message);

describe('dsl: image() specs, kind by kind', () => {
  it('a dockerfile image keeps its text or file, context, build args and shell', () => {
    assert.deepEqual(image({ dockerfileText: 'FROM a', context: '/srv/ctx', dockerBuildArgs: { V: '1' }, shell: '/bin/bash', name: 'd', dir: '/srv' }).spec,
      { kind: 'dockerfile', name: 'd', dir: '/srv', dockerAutoWorkdir: true, shell: '/bin/bash', dockerfileText: 'FROM a', context: '/srv/ctx', buildArgs: { V: '1' } });
    assert.deepEqual(image({ dockerfile: './Dockerfile', name: 'd', dir: '/srv/app' }).spec,
      { kind: 'dockerfile', name: 'd', dir: '/srv/app', dockerAutoWorkdir: true, dockerfile: '/srv/app/Dockerfile', context: '/srv/app' });
    const args = { V: '1' };
    const made = image({ dockerfileText: 'FROM a', dockerBuildArgs: args, name: 'd', dir: '/srv' });
    args.V = '2';
    assert.deepEqual((made.spec as { buildArgs?: unknown }).buildArgs, { V: '1' }, 'the build args are copied');
  });

  it('a base+requirements image keeps every install; a git image its URL and branch; a ref its shell', () => {
    assert.deepEqual(image({ ref: 'debian:12', installPackages: ['jq'], installPip: ['x'], installNpm: true, installDocker: true, name: 'b', dir: '/srv' }).spec,
      { kind: 'base-reqs', name: 'b', ref: 'debian:12', dir: '/srv', dockerAutoWorkdir: true, installPackages: ['jq'], installPip: ['x'], installNpm: true, installDocker: true });
    assert.deepEqual(image({ installNpm: ['left-pad'], name: 'n', dir: '/srv' }).spec,
      { kind: 'base-reqs', name: 'n', ref: 'debian:bookworm-slim', dir: '/srv', dockerAutoWorkdir: true, installNpm: ['left-pad'] });
    assert.deepEqual(image({ ref: 'debian:12', installDocker: false, installPackages: ['jq'], name: 'b', dir: '/srv' }).spec,
      { kind: 'base-reqs', name: 'b', ref: 'debian:12', dir: '/srv', dockerAutoWorkdir: true, installPackages: ['jq'] });
    assert.deepEqual(image({ copyUrl: 'https://h/r.git', copyBranch: 'main', name: 'g', dir: '/srv' }).spec,
      { kind: 'git', name: 'g', ref: 'debian:bookworm-slim', dir: '/srv', dockerAutoWorkdir: true, copyUrl: 'https://h/r.git', copyBranch: 'main', copyGit: true });
    assert.deepEqual(image({ ref: 'busybox', shell: '/bin/ash', name: 'r' }).spec, { kind: 'ref', name: 'r', ref: 'busybox', shell: '/bin/ash' });
    assert.deepEqual(image({ provider: 'motd', name: 'm', dir: '/srv' }).spec, { kind: 'custom', name: 'm', provider: 'motd', dir: '/srv', params: {} });
  });

  it('two images deriving one name get a suffix from their content; the same image twice is one', () => {
    const names = (a: string[], b: string[]) => Object.keys(compile(pipeline('p')
      .exec('a', 'x', { image: image({ ref: 'node:20', installPackages: a }) })
      .exec('b', 'x', { image: image({ ref: 'node:20', installPackages: b }) })).images).filter((n) => n !== 'caisson-default');
    const two = names(['jq'], ['git']);
    assert.equal(two.length, 2);
    assert.equal(two[0], 'node-20');
    assert.match(two[1]!, /^node-20-[0-9a-f]{6}$/);
    assert.deepEqual(names(['jq'], ['jq']), ['node-20']);
    assert.notEqual(names(['jq'], ['curl'])[1], two[1], 'the suffix depends on the definition');
  });

  it('two images chosen under one name with different definitions are one IMAGE_CONFLICT naming both nodes', () => {
    const e = throwsCode(() => compile(pipeline('p')
      .exec('a', 'x', { image: image({ ref: 'node:20', installPackages: ['jq'], name: 'n', dir: '/srv' }) })
      .exec('b', 'x', { image: image({ ref: 'node:22', installPackages: ['jq'], name: 'n', dir: '/srv' }) })), 'IMAGE_CONFLICT');
    assert.match(e.message, /^image "n" is already present with a different definition in this pipeline: \{[\s\S]*"ref": "node:20"[\s\S]*\} at \/p\/a and \{[\s\S]*"ref": "node:22"[\s\S]*\} at \/p\/b; give one of them another name$/);
  });
});

describe('dsl: commands, secrets, services and compile() refuse bad input word for word', () => {
  it('a command is a non-blank script or a non-empty argv of strings; a function only as a native call', () => {
    const at = { path: '/p/a', option: 'command' };
    refuses(() => pipeline('p').exec('a', [] as never), at, '/p/a: command: expected a shell script string or a non-empty argv array of strings, got []');
    refuses(() => pipeline('p').exec('a', ['ls', 3] as never), at, '/p/a: command: expected a shell script string or a non-empty argv array of strings, got ["ls",3]');
    refuses(() => pipeline('p').exec('a', 5 as never), at, '/p/a: command: expected a shell script string or a non-empty argv array of strings, got 5');
    refuses(() => pipeline('p').exec('a', '   '), at, '/p/a: command: expected a shell script or an argv array, got an empty string');
    refuses(() => hostCommand((() => 1) as never), { path: 'hostCommand()', option: 'command' }, 'hostCommand(): command: got a function; pass a shell command string or argv array, or call it as a native function with exec(name, fn, ...args)');
    assert.deepEqual(((compile(pipeline('p').exec('a', ['ls', '-l'])).root as ContainerNode).children[0] as ExecNode).command, ['ls', '-l']);
  });

  it('secret() takes a variable-like name; it serializes as a reference, never a value', () => {
    refuses(() => secret('1abc'), { path: 'secret("1abc")' }, 'secret("1abc"): expected a name of letters, digits and _ (not starting with a digit), like "API_TOKEN"');
    refuses(() => secret(5 as never), { path: 'secret(5)' }, 'secret(5): expected a name of letters, digits and _ (not starting with a digit), like "API_TOKEN"');
    refuses(() => secret('API-TOKEN'), { path: 'secret("API-TOKEN")' }, 'secret("API-TOKEN"): expected a name of letters, digits and _ (not starting with a digit), like "API_TOKEN"');
    assert.equal(JSON.stringify({ s: secret('API_TOKEN') }), '{"s":{"secret":"API_TOKEN"}}');
    assert.deepEqual([isSecret(secret('_A1')), isSecret({ secret: 'A' }), isSecret(null), isSecret('A'), isSecret(undefined)], [true, false, false, false, false]);
  });

  it('service(): options, image and wait are checked where the service is declared; names are unique in the pipeline', () => {
    refuses(() => pipeline('p').service('db', 5 as never), { path: '/p/db', option: 'options' }, '/p/db: options: expected an object of service options, got 5');
    refuses(() => pipeline('p').service('db', [] as never), { path: '/p/db', option: 'options' }, '/p/db: options: expected an object of service options, got []');
    refuses(() => pipeline('p').service('db', { image: 5 } as never), { path: '/p/db', option: 'image' }, '/p/db: image: expected a Docker reference like "node:20" or an image({...}) value, got 5');
    refuses(() => pipeline('p').service('db', { image: 'pg', wait: 5 } as never), { path: '/p/db', option: 'wait' }, '/p/db: wait: expected a wait such as { port: 8080 }, { http: "/" }, { log: /ready/ }, { command: "…" }, { healthcheck: true } or { all: [...] }, got 5');
    refuses(() => pipeline('p').service('db', { image: 'pg', wait: { all: [] } } as never), { path: '/p/db', option: 'wait' }, '/p/db: wait: all: expected a non-empty list of waits, got []');
    refuses(() => pipeline('p').service('db', { image: 'pg', wait: { port: 'x' } } as never), { path: '/p/db', option: 'wait' }, '/p/db: wait: port: expected a TCP port (a whole number from 1 to 65535), got "x"');
    refuses(() => compile(pipeline('p').service('db', { image: 'pg' }).serial('s', (s) => s.service('db', { image: 'pg' }).exec('a', 'x'))), { path: '/p/s/db' },
      '/p/s/db: a service named "db" is already declared at /p/db; services share the run\'s network, where the name is their host name, so service names must be unique in a pipeline');
  });

  it('compile() needs a named pipeline builder', () => {
    refuses(() => compile(5 as never), { path: 'compile()' }, 'compile(): expected a pipeline builder made by pipeline(name, ...)');
    refuses(() => compile(serial().exec('a', 'x') as never), { path: '(serial)' }, 'compile(): (serial) has no name; wrap it with pipeline(name, subtree) first');
  });
});
