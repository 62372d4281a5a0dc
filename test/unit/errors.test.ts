// The error catalogue: one class per code, data as fields, a brand that works across copies of the
// package, and one exit code per code in the CLI.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as errors from '../../core/errors.ts';
import {
  CaissonError, DslError, ERROR_CODES, ImageSpecError, isUserError, NodeNotFoundError, RunOperationError, UsageError, type ErrorCode,
} from '../../core/index.ts';
import { EXIT_CODES } from '../../cli/main.ts';

/** One instance of every error class, made as its callers make it. */
const samples = (e: typeof errors): CaissonError[] => [
  new e.UsageError('--cpu: expected a number > 0, got "0"', { option: '--cpu' }),
  new e.DslError('/ci/a: cpu: expected CPUs > 0, got 0', { path: '/ci/a', option: 'cpu' }),
  new e.IrDecodeError([{ path: '/ci', field: 'maxTime', message: 'expected seconds > 0' }]),
  new e.ImageConflictError('tools', 'two definitions'),
  new e.ImageSpecError('tools', 'copyDir: /nope does not exist', { option: 'copyDir' }),
  new e.ImageNotFoundError('ghost:1', 'no such image'),
  new e.ImageUnresolvedError({ path: '/ci/a', image: 'tools', kind: 'base-reqs' }),
  new e.ImageBuildError('tools', 'docker buildx build failed'),
  new e.RecordedImageMissingError('run r1: image "tools" is gone', { runId: 'r1', images: ['tools'] }),
  new e.RuntimeUnavailableError('Docker daemon does not answer', { endpoint: 'socket /x.sock' }),
  new e.RuntimeOptionError('dockerRunArgs: --privileged has no mapping', { flag: '--privileged' }),
  new e.LeaseError('container abc was disposed; cannot run /ci/a', { container: 'abc', path: '/ci/a' }),
  new e.NodeNotFoundError('/ci/nope', ['/ci/a']),
  new e.RunOperationError('cannot edit /ci: it is a serial', { path: '/ci', operation: 'edit' }),
  new e.RunNotFoundError('2026', 'no run "2026"', ['20260101-000000-aa']),
  new e.RunRecordError('run r1: meta.json is not valid JSON', { runId: 'r1', file: 'meta.json' }),
  new e.PluginError('two runtimes', { plugins: ['a', 'b'], slot: 'runtime' }),
  new e.SecretError('f:2: expected a NAME=VALUE line', { file: 'f', line: 2 }),
];

describe('errors', () => {
  it('every code has one class, and every class its own code, name and brand', () => {
    const made = samples(errors);
    assert.deepEqual(made.map((e) => e.code).sort(), Object.keys(ERROR_CODES).sort(), 'one sample per code');
    for (const e of made) {
      assert.ok(e instanceof CaissonError && e instanceof Error && isUserError(e), e.name);
      assert.equal(e.name, e.constructor.name);
      assert.equal(String(e).split(':')[0], e.name);
    }
  });

  it('carries its data as fields; fields not given are absent', () => {
    const e = new DslError('/ci/a: cpu: expected CPUs > 0, got 0', { path: '/ci/a', option: 'cpu' });
    assert.deepEqual({ code: e.code, path: e.path, option: e.option }, { code: 'DSL', path: '/ci/a', option: 'cpu' });
    assert.deepEqual(Object.keys(new DslError('x')), ['code']);
    const n = new NodeNotFoundError('/ci/nope', ['/ci/a', '/ci/b']);
    assert.deepEqual([n.code, n.path, n.known, n.message], ['NODE_NOT_FOUND', '/ci/nope', ['/ci/a', '/ci/b'], 'no node at /ci/nope; known children: /ci/a, /ci/b']);
    const cause = new Error('EACCES');
    assert.equal(new UsageError('x', { file: 'f', cause }).cause, cause);
  });

  it('an ImageSpecError is a DslError with its own code', () => {
    const e = new ImageSpecError('tools', 'copyDir: missing', { option: 'copyDir' });
    assert.ok(e instanceof DslError);
    assert.deepEqual([e.code, e.image, e.option, e.message], ['IMAGE_SPEC', 'tools', 'copyDir', 'image "tools": copyDir: missing']);
    assert.ok(!(new DslError('x') instanceof ImageSpecError));
  });

  it('recognises errors from a second copy of the package by their brand, class by class', async () => {
    // The catalogue and its folder copied elsewhere: what a plugin with its own node_modules would load.
    const dir = mkdtempSync(join(tmpdir(), 'caisson-errors-copy-'));
    const core = join(import.meta.dirname, '../../core');
    cpSync(join(core, 'errors.ts'), join(dir, 'errors.ts'));
    cpSync(join(core, 'errors'), join(dir, 'errors'), { recursive: true });
    const copy = (await import(pathToFileURL(join(dir, 'errors.ts')).href)) as typeof errors;
    assert.notEqual(copy.DslError, DslError, 'a second module instance');
    for (const e of samples(copy)) assert.ok(isUserError(e) && e instanceof CaissonError, `${e.name} from the copy`);
    const spec = new copy.ImageSpecError('tools', 'copyDir: missing');
    assert.ok(spec instanceof ImageSpecError && spec instanceof DslError);
    assert.ok(!(new copy.DslError('x') instanceof ImageSpecError));
    assert.ok(!(new copy.UsageError('x') instanceof RunOperationError));
    assert.ok(!isUserError(new Error('x')) && !isUserError({ code: 'DSL', message: 'x' }) && !isUserError(null));
  });

  it('the CLI has one exit code per error code: 2 for input the user corrects, 1 for failed work', () => {
    assert.deepEqual(Object.keys(EXIT_CODES).sort(), Object.keys(ERROR_CODES).sort());
    const two = (Object.keys(EXIT_CODES) as ErrorCode[]).filter((c) => EXIT_CODES[c] === 2).sort();
    assert.deepEqual(two, ['DSL', 'IMAGE_CONFLICT', 'IMAGE_SPEC', 'IR_INVALID', 'NODE_NOT_FOUND', 'PLUGIN', 'RUN_NOT_FOUND', 'RUN_OPERATION', 'USAGE']);
  });
});
