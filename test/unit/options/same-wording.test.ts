// One rule, one message: a bad value that the DSL refuses when a user sets it and the IR decoder refuses
// when a document holds it is worded the same by both ("<field>: <message>"), because both run the rule
// of the option table. Cases: every option whose user form is its IR form, the kind rules, env names.
import { strict as assert } from 'node:assert';
import { compile, pipeline } from '../../../core/dsl/index.ts';
import { DslError, IrDecodeError } from '../../../core/errors.ts';
import { decodePipeline } from '../../../core/ir/index.ts';

/** The DSL's message for `options` set on a node of `kind`, without the node path. */
function dslMessage(kind: 'exec' | 'serial' | 'parallel', options: object): string {
  const build = () => (kind === 'exec' ? pipeline('ci').exec('n', 'x', options as never) : pipeline('ci')[kind]('n', options as never));
  try { build(); } catch (e) {
    assert.ok(e instanceof DslError);
    assert.ok(e.message.startsWith('/ci/n: '), e.message);
    return e.message.slice('/ci/n: '.length);
  }
  return assert.fail(`the DSL accepted ${JSON.stringify(options)}`);
}

/** The decoder's "field: message" for the same field set in a compiled IR on a node of `kind`. */
function irMessage(kind: 'exec' | 'serial' | 'parallel', field: string, value: unknown): string {
  const p = kind === 'exec' ? pipeline('ci').exec('n', 'x') : pipeline('ci')[kind]('n', {});
  const ir = JSON.parse(JSON.stringify(compile(p)));
  ir.root.children[0][field] = value;
  try { decodePipeline(ir); } catch (e) {
    assert.ok(e instanceof IrDecodeError);
    const lines = e.problems.map((p) => `${p.field}: ${p.message}`);
    assert.equal(lines.length, 1, lines.join('\n'));
    return lines[0]!;
  }
  return assert.fail(`the decoder accepted ${field}: ${JSON.stringify(value)}`);
}

const cases: Array<['exec' | 'serial' | 'parallel', string, unknown]> = [
  ['exec', 'cpu', 0],
  ['exec', 'mem', -1],
  ['exec', 'gpu', 0.5],
  ['exec', 'requiresDocker', 'yes'],
  ['exec', 'maxTime', '5 parsecs'],
  ['exec', 'maxTime', 0],
  ['exec', 'reuse', 'News'],
  ['exec', 'skip', 1],
  ['exec', 'suppressErrors', 'no'],
  ['serial', 'stopOnError', 'yes'],
  ['parallel', 'maxConcurrent', 1.5],
  ['exec', 'doc', 3],
  ['exec', 'title', false],
  ['parallel', 'stopOnError', true],
  ['exec', 'maxConcurrent', 2],
  ['exec', 'env', { 'A=B': 'x' }],
  ['serial', 'env', { '': 'x' }],
];

describe('the DSL and the IR decoder word a rule the same way', () => {
  for (const [kind, field, value] of cases) {
    it(`${field}: ${JSON.stringify(value)} on ${kind === 'exec' ? 'an' : 'a'} ${kind}`, () => {
      const dsl = dslMessage(kind, { [field]: value });
      assert.equal(dsl, irMessage(kind, field, value));
      assert.ok(dsl.startsWith(`${field}: `));
    });
  }
});
