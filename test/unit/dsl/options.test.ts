import { strict as assert } from 'node:assert';
import { compile, exec, parallel, pipeline } from '../../../core/dsl/index.ts';
import { throwsCode } from '../../helpers/errors.ts';
import type { ExecNode } from '../../../core/ir/index.ts';
import { findNode } from '../../../core/ir/index.ts';

const execAt = (options: object) => findNode(compile(pipeline('ci').parallel('checks', (c) => c.exec('unit', 'x', options as never))).root, '/ci/checks/unit') as ExecNode;

describe('node options', () => {
  const invalid: Array<[string, object, string]> = [
    ['cpu 0', { cpu: 0 }, 'cpu: expected CPUs > 0, got 0'],
    ['mem negative', { mem: -1 }, 'mem: expected GB > 0, got -1'],
    ['gpu fraction', { gpu: 0.5 }, 'gpu: expected a whole number of GPUs >= 0, got 0.5'],
    ['maxTime negative string', { maxTime: '-3' }, 'maxTime: expected seconds > 0 or a duration like "90s", got "-3"'],
    ['maxTime zero', { maxTime: 0 }, 'maxTime: expected seconds > 0 or a duration like "90s", got 0'],
    ['maxTime bad unit', { maxTime: '5 parsecs' }, 'maxTime: expected seconds > 0 or a duration like "90s", got "5 parsecs"'],
    ['env number value', { env: { N: 1 } }, 'env: N: expected a string value, got 1 (convert it with String())'],
    ['env not object', { env: ['A=1'] }, 'env: expected an object of string values, got ["A=1"]'],
    ['reuse typo', { reuse: 'News' }, 'reuse: expected "new" or "global" (leave it unset to inherit), got "News"'],
    ['requiresDocker string', { requiresDocker: 'yes' }, 'requiresDocker: expected true or false, got "yes"'],
    ['skip number', { skip: 1 }, 'skip: expected true or false, got 1'],
    ['tags number', { tags: 3 }, 'tags: expected a string or a list of strings, got 3'],
    ['stopOnError on Exec', { stopOnError: false }, 'stopOnError: only a Serial node has it (this is an Exec)'],
    ['maxConcurrent on Exec', { maxConcurrent: 2 }, 'maxConcurrent: only a Serial or Parallel node has it (this is an Exec)'],
    ['--cpus', { dockerRunArgs: '--cpus 2' }, 'dockerRunArgs: "--cpus" is not allowed (use the cpu option)'],
    ['--memory=', { dockerRunArgs: ['--memory=1g'] }, 'dockerRunArgs: "--memory=1g" is not allowed (use the mem option)'],
    ['--network=host', { dockerRunArgs: '--init --network=host' }, 'dockerRunArgs: "--network=host" is not allowed (Caisson manages container networking)'],
    ['--net=host (an alias is refused like its flag)', { dockerRunArgs: '--net=host' }, 'dockerRunArgs: "--net=host" is not allowed (Caisson manages container networking)'],
    ['-m (the alias of --memory)', { dockerRunArgs: ['-m', '1g'] }, 'dockerRunArgs: "-m" is not allowed (use the mem option)'],
    ['--rm', { dockerRunArgs: '--rm' }, 'dockerRunArgs: "--rm" is not allowed (Caisson removes its containers itself)'],
    ['-it (bundled switches)', { dockerRunArgs: '-it' }, 'dockerRunArgs: "-it" is not allowed (Caisson runs the container and holds its input and output itself)'],
    ['an unknown flag', { dockerRunArgs: '--frobnicate=1' }, 'dockerRunArgs: "--frobnicate=1" is not a docker run flag'],
    ['a positional argument', { dockerRunArgs: 'busybox' }, 'dockerRunArgs: "busybox" is not a flag: dockerRunArgs holds docker run flags only (the image and the command come from the node)'],
    ['a missing value', { dockerRunArgs: '--init --mount' }, 'dockerRunArgs: "--mount" needs a value'],
    ['a malformed port', { dockerRunArgs: '-p 80:80:80:80' }, 'dockerRunArgs: "-p" 80:80:80:80 expects [IP:][HOST-PORT:]CONTAINER-PORT[/PROTOCOL], e.g. 8080:80'],
    ['a mount without target', { dockerRunArgs: '--mount=type=bind,source=/x' }, 'dockerRunArgs: "--mount=type=bind,source=/x" expects type=…,source=…,target=… (target is required)'],
    ['a bad size', { dockerRunArgs: '--shm-size=lots' }, 'dockerRunArgs: "--shm-size=lots" expects a size like 64m or 1g'],
    ['unterminated quote', { dockerRunArgs: '--label "a' }, 'dockerRunArgs: cannot split "--label \\"a": unterminated double quote'],
    ['image and imageName', { image: 'a', imageName: 'b' }, 'image and imageName are both set; give one of them'],
    ['unknown option', { mme: 4 }, 'unknown option "mme"; known options: env, image, imageName, cpu, mem, gpu, requiresDocker, dockerRunArgs, maxTime, retry, cache, reuse, skip, suppressErrors, stopOnError, maxConcurrent, doc, tags, title, outputs, inputs'],
  ];
  // The messages are the feature here (what a user reads for each bad value), so they are pinned too.
  const optionOf = (options: object, message: string) => (Object.keys(options).length === 1 ? message.split(':')[0]! : Object.keys(options)[0]!);
  for (const [label, options, message] of invalid) {
    it(`rejects ${label}: "/ci/checks/unit: ${message.slice(0, 40)}…"`, () => {
      const option = label === 'unknown option' ? 'mme' : optionOf(options, message);
      const e = throwsCode(() => execAt(options), 'DSL', { path: '/ci/checks/unit', option });
      assert.equal(e.message, `/ci/checks/unit: ${message}`);
    });
  }

  // Env names reach Docker and execve as NAME=value: an empty name, "=" or NUL cannot work.
  const badEnvNames: Array<[string, string]> = [['A=B', '"A=B"'], ['', '""'], ['A\0B', '"A\\u0000B"']];
  for (const [key, shown] of badEnvNames) {
    it(`rejects the env name ${shown} with one DslError naming the node, env and the name`, () => {
      const e = throwsCode(() => execAt({ env: { [key]: 'x' } }), 'DSL', { path: '/ci/checks/unit', option: 'env' });
      assert.ok(e.message.endsWith(`, got ${shown}`), e.message);
    });
  }

  it('accepts env names a shell cannot expand but programs can read', () => {
    assert.deepEqual(execAt({ env: { 'my.var': '1', '2FA': '2', 'with-dash': '3' } }).env, { '2FA': '2', 'my.var': '1', 'with-dash': '3' });
  });

  it('refuses dockerRunArgs when the pipeline compiles, naming the node that set them, detached or inherited', () => {
    const detached = exec('true', { dockerRunArgs: '--net=host' });
    assert.doesNotThrow(() => pipeline('ci').add('x', detached), 'setting them is not yet compiling');
    throwsCode(() => compile(pipeline('ci').add('x', detached)), 'DSL', { path: '/ci/x', option: 'dockerRunArgs' });
    throwsCode(() => compile(pipeline('ci').serial('g', (g) => g.exec('a', 'true'), { dockerRunArgs: ['--cpus', '2'] })), 'DSL', { path: '/ci/g', option: 'dockerRunArgs' });
  });

  it('rejects stopOnError on a Parallel and maxConcurrent below 1', () => {
    throwsCode(() => pipeline('ci').parallel('p', { stopOnError: true } as never), 'DSL', { path: '/ci/p', option: 'stopOnError' });
    throwsCode(() => pipeline('ci', { maxConcurrent: 0 }), 'DSL', { path: '/ci', option: 'maxConcurrent' });
    throwsCode(() => parallel({ maxConcurrent: 1.5 }), 'DSL', { path: '(parallel)', option: 'maxConcurrent' });
  });

  it('stores normalised values', () => {
    const node = execAt({ maxTime: '1h30m', tags: 'slow', dockerRunArgs: `--label 'a b' --shm-size=1g`, doc: 'd', title: 't', requiresDocker: true, suppressErrors: true, skip: true, reuse: 'new', gpu: 1 });
    assert.equal(node.maxTime, 5400);
    assert.deepEqual(node.tags, ['slow']);
    assert.deepEqual(node.dockerRunArgs, ['--label', 'a b', '--shm-size=1g']);
    assert.equal(node.doc, 'd');
    assert.equal(node.title, 't');
    assert.equal(node.requiresDocker, true);
    assert.equal(node.suppressErrors, true);
    assert.equal(node.skip, true);
    assert.equal(node.reuse, 'new');
    assert.equal(node.gpu, 1);
  });

  it('set() merges env per key and replaces other options; undefined is ignored', () => {
    const e = exec('x', { env: { A: '1', B: '1' }, cpu: 2 }).set({ env: { B: '2' }, cpu: undefined, mem: 3 });
    assert.deepEqual(e.options.env, { A: '1', B: '2' });
    assert.equal(e.options.cpu, 2);
    assert.equal(e.options.mem, 3);
  });

  it('copies env at assignment: mutating the caller\'s object later has no effect', () => {
    const env: Record<string, string> = { A: '1' };
    const p = pipeline('ci', { env }).exec('a', 'x');
    env.A = 'changed';
    assert.deepEqual(compile(p).root.env, { A: '1' });
  });
});
