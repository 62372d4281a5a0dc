// What the IR layer tells a user about a bad document and how it prints a tree: the image union picks
// one kind to blame, values are quoted short, and pretty() draws every kind of node.
import { strict as assert } from 'node:assert';
import { ImageSpecCodec, compile, pipeline as dsl, pretty } from '../../../core/plugin-kit.ts';
import { decodeProblems, exec, parallel, pipeline, serial } from '../../helpers/ir.ts';

/** A valid IR document as plain JSON. */
const doc = (): any => JSON.parse(JSON.stringify(pipeline(serial('ci', [exec('a')]))));

const problems = decodeProblems;

describe('ir: image union messages', () => {
  const KINDS = 'expected "ref" or "base-reqs" or "git" or "dockerfile" or "custom"';

  for (const [label, value] of [['null', null], ['an array', []], ['a string', 'img:1']] as const) {
    it(`an image that is ${label} is "expected an object"`, () => {
      const ir = doc();
      ir.images.img = value;
      assert.deepEqual(problems(ir), [`(pipeline): images.img: expected an object, got ${JSON.stringify(value)}`]);
    });
  }

  it('an image without a kind, or with a non-string or inherited one, names the kinds', () => {
    for (const [kind, shown] of [[undefined, 'nothing'], [3, '3'], ['toString', '"toString"']] as const) {
      const ir = doc();
      ir.images.img = { name: 'img', ref: 'img:latest', ...(kind === undefined ? {} : { kind }) };
      assert.deepEqual(problems(ir), [`(pipeline): images.img.kind: ${KINDS}, got ${shown}`]);
    }
  });

  it('the union codec tells members apart by kind, and encodes through the member', () => {
    const ref = { kind: 'ref', name: 'img', ref: 'img:latest' };
    assert.equal(ImageSpecCodec.is(ref), true);
    assert.equal(ImageSpecCodec.is({ ...ref, kind: 'toString' }), false);
    assert.equal(ImageSpecCodec.is({ ...ref, ref: 3 }), false);
    assert.equal(ImageSpecCodec.is(null), false);
    assert.equal(ImageSpecCodec.is('ref'), false);
    assert.deepEqual(ImageSpecCodec.encode(ref as never), ref);
    assert.equal(ImageSpecCodec.name, 'ImageSpec');
  });
});

describe('ir: values in messages', () => {
  it('quotes strings as JSON, says "nothing" for a missing value, and shortens long ones to 60 characters', () => {
    const ir = doc();
    ir.root.children[0].cpu = 'x'.repeat(100);
    const [line] = problems(ir);
    assert.equal(line, `/ci/a: cpu: expected CPUs > 0, got "${'x'.repeat(56)}...`);
    assert.equal(line!.split('got ')[1]!.length, 60);
  });

  it('keeps a value of exactly 60 characters whole', () => {
    const ir = doc();
    ir.root.children[0].cpu = 'y'.repeat(58);
    assert.deepEqual(problems(ir), [`/ci/a: cpu: expected CPUs > 0, got "${'y'.repeat(58)}"`]);
  });

  it('names friendly types: booleans, strings, arrays of strings, env objects', () => {
    const ir = doc();
    Object.assign(ir.root.children[0], { skip: 1, image: 7, tags: 'x', env: [] });
    // Sorted: the order follows the codec's field order, which is not what this test is about.
    assert.deepEqual(problems(ir).sort(), [
      '/ci/a: env: expected an object of string values, got []',
      '/ci/a: image: expected a string, got 7',
      '/ci/a: skip: expected true or false, got 1',
      '/ci/a: tags: expected a list of strings, got "x"',
    ]);
  });

  it('shows a value that JSON cannot (a function) as text', () => {
    assert.deepEqual(problems(() => 1).length, 1);
    assert.match(problems(undefined)[0]!, /^\(pipeline\): expected a pipeline object, got nothing$/);
  });
});

describe('ir: pretty', () => {
  it('prints a single-Exec pipeline as its root line with the command, argv quoted', () => {
    const ir = pipeline(exec('hello', ['echo', 'hi there']));
    assert.equal(pretty(ir), "/hello   echo 'hi there'");
  });

  it('marks a skipped root and skipped containers, and labels Parallel children with a space only', () => {
    const ir = pipeline(parallel('p', [serial('s', [exec('a')], { skip: true }), exec('b')], { skip: true }));
    assert.equal(pretty(ir), ['/p (skip)', '├─ s (skip)', '│ └─0 a   true', '└─ b   true'].join('\n'));
  });

  it('pads Serial indices only to the widest index (10 children: 0-9 unpadded)', () => {
    const ir = compile(dsl('s').serial('x', (s) => { let o = s; for (let i = 0; i < 10; i++) o = o.exec(`e${i}`, 'true'); return o; }));
    const lines = pretty(ir).split('\n');
    assert.equal(lines[2], '  ├─0 e0   true');
    assert.equal(lines[11], '  └─9 e9   true');
  });

  it('colours only when color is true', () => {
    const ir = pipeline(serial('s', [exec('a')]));
    assert.ok(!pretty(ir, {}).includes('\x1b['));
    assert.ok(pretty(ir, { color: true }).includes('\x1b[36ma\x1b[39m'));
  });
});
