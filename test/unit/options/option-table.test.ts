// Adding a node option is one table entry: a test-only table with two throwaway options (one per node,
// one inherited) gets DSL validation, inheritance, IR fields and codecs, kind rules and a README row
// from the same derivation the real table goes through (core/options/derive.ts).
import { strict as assert } from 'node:assert';
import * as t from 'io-ts';
import { DslError } from '../../../core/errors.ts';
import {
  EVERY_KIND, NODE_OPTIONS, OPTIONS, always, checkedBy, deriveOptions, nearest, option, perNode, renderOptionsTable,
  type IrFieldsOf, type UserOptionsOf,
} from '../../../core/options/index.ts';
import { Bool, rule } from '../../../core/options/rules.ts';
import { toProblems } from '../../../core/ir/validation-errors.ts';

const Retries = rule('Retries', 'expected a whole number of retries >= 0', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0);

const TABLE = {
  ...NODE_OPTIONS,
  retries: option<number>()({
    kinds: ['exec'], read: checkedBy(Retries), ...perNode(0), ir: always(Retries),
    readme: { meaning: 'run a failing command again, up to this many times' },
  }),
  memo: option<boolean>()({
    kinds: EVERY_KIND, read: checkedBy(Bool), ...nearest(false), ir: always(Bool),
    readme: { meaning: 'reuse results of unchanged nodes' },
  }),
};
const set = deriveOptions(TABLE);

// What TypeScript derives from the table: the new options appear where their kinds say, nowhere else.
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;
const userTypes: [
  Equal<UserOptionsOf<typeof TABLE, 'exec'>['retries'], number | undefined>,
  Equal<'retries' extends keyof UserOptionsOf<typeof TABLE, 'serial'> ? true : false, false>,
  Equal<IrFieldsOf<typeof TABLE, 'exec'>['retries'], number>,
  Equal<IrFieldsOf<typeof TABLE, 'parallel'>['memo'], boolean>,
] = [true, true, true, true];

const scope = { at: '/ci', own: {}, images: { add: () => 'img', has: () => true, names: () => [] } };
const refusal = (fn: () => unknown): string => {
  try { fn(); } catch (e) { assert.ok(e instanceof DslError); return e.message; }
  return assert.fail('expected a DslError');
};

describe('option table: a new option is one entry', () => {
  it('types the new options from the table', () => {
    assert.deepEqual(userTypes, [true, true, true, true]);
  });

  it('validates them in the DSL, with the kind rule and the unknown-option list', () => {
    assert.equal(set.apply({}, { retries: 2 }, 'exec', '/ci/x').retries, 2);
    assert.equal(refusal(() => set.apply({}, { retries: -1 }, 'exec', '/ci/x')), '/ci/x: retries: expected a whole number of retries >= 0, got -1');
    assert.equal(refusal(() => set.apply({}, { retries: 1 }, 'serial', '/ci')), '/ci: retries: only an Exec node has it (this is a Serial)');
    assert.match(refusal(() => set.apply({}, { retires: 1 }, 'exec', '/ci/x')), /unknown option "retires"; known options: env, .*, title, outputs, inputs, retries, memo$/);
  });

  it('inherits each as its entry says: retries per node, memo nearest-wins', () => {
    const rootOwn = set.apply({}, { memo: true, retries: 3 }, 'exec', '/ci');
    const root = set.effective(rootOwn, set.top, scope);
    const child = set.effective({}, root, { ...scope, at: '/ci/x' });
    assert.deepEqual([root.memo, child.memo, set.top.memo], [true, true, false]);
    assert.equal('retries' in root, false, 'a per-node option is not passed down');
    assert.deepEqual([set.irFields('exec', rootOwn, root, scope).retries, set.irFields('exec', {}, child, scope).retries], [3, 0]);
  });

  it('writes their IR fields on the kinds that take them, checked by the same rule in the decoder', () => {
    const eff = set.effective({}, set.top, scope);
    const exec = set.irFields('exec', {}, eff, scope);
    assert.deepEqual([exec.retries, exec.memo], [0, false]);
    assert.equal('retries' in set.irFields('serial', {}, eff, scope), false);
    const codec = t.type(set.irProps('exec').required);
    const result = codec.validate({ ...exec, retries: -1 }, [{ key: '', type: codec, actual: exec }]);
    assert.equal(result._tag, 'Left');
    if (result._tag === 'Left') assert.deepEqual(toProblems(result.left, '/ci/x'), [{ path: '/ci/x', field: 'retries', message: 'expected a whole number of retries >= 0, got -1' }]);
    assert.equal('retries' in set.irProps('parallel').required, false);
  });

  it('gets a README row', () => {
    const lines = renderOptionsTable(TABLE).split('\n');
    assert.equal(lines.at(-2), '| `retries` | Exec | no | 0 | run a failing command again, up to this many times |');
    assert.equal(lines.at(-1), '| `memo` | all | yes | false | reuse results of unchanged nodes |');
  });

  it('leaves the real table alone', () => {
    assert.equal('retries' in OPTIONS.table, false);
  });
});
