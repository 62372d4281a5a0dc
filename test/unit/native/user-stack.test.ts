// A native function's error stack, as logs and the summary show it: the user's frames, without the
// machinery that called the function (the in-container entry, its generated module, Node's loader).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { userStack } from '../../../core/plugin-kit.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('native functions: the stack a thrown error shows', () => {
  it('keeps the message and the user\'s frames, drops the entry, the generated module and node internals', () => {
    const stack = [
      'Error: boom',
      '    at check (/tmp/p/native.ts:9:9)',
      '    at helper (/tmp/p/lib/util.ts:3:1)',
      '    at invokeNative (file:///tmp/p/node_modules/caisson/dist/core/native/entry-runtime.js:26:13)',
      '    at file:///tmp/p/caisson-native-entry.mjs:3:7',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:195:25)',
      '    at async call (/x/plugins/runtime-fake/native-in-process.ts:47:1)',
    ].join('\n');
    assert.equal(userStack(stack), 'Error: boom\n    at check (/tmp/p/native.ts:9:9)\n    at helper (/tmp/p/lib/util.ts:3:1)');
  });

  it('a message over several lines stays whole', () => {
    assert.equal(userStack('Error: line one\nline two\n    at f (/a.ts:1:1)'), 'Error: line one\nline two\n    at f (/a.ts:1:1)');
  });

  it("drops every frame in Caisson's own code (core/, plugins/, cli/ of this checkout), keeps its examples' and tests'", () => {
    const stack = [
      'Error: boom',
      `    at check (${ROOT}/examples/native.ts:9:9)`,
      `    at helper (file://${ROOT}/test/fixtures/lib.ts:3:1)`,
      `    at async withEnv (file://${ROOT}/plugins/runtime-fake/fake-env.ts:10:2)`,
      `    at withDataFiles (${ROOT}/core/data/pipeline-data.ts:120:1)`,
      `    at main (${ROOT}/cli/main.ts:1:1)`,
    ].join('\n');
    assert.equal(userStack(stack), `Error: boom\n    at check (${ROOT}/examples/native.ts:9:9)\n    at helper (file://${ROOT}/test/fixtures/lib.ts:3:1)`);
  });
});
