// How a native call and its return value read beside a node (show, the run lines, the live tree, the UI):
// JSON, with the values JSON lacks written as in JavaScript rather than as tagged-JSON wrappers.
import { strict as assert } from 'node:assert';
import { callText, encodeTagged, returnedText } from '../../../core/plugin-kit.ts';

const tagged = (value: unknown): string => JSON.stringify(encodeTagged(value, 'result').json);

describe('call text: native calls and their return values, as shown', () => {
  it('a return value with a Date, a bigint, a Map, a Set and bytes reads as in JavaScript', () => {
    const value = { d: new Date('2026-12-01T15:56:47.770Z'), big: 5n, m: new Map([['a', 1]]), s: new Set([1]), b: new Uint8Array(12), n: Number.NaN };
    assert.equal(returnedText(tagged(value)), 'returned {"d":Date(2026-12-01T15:56:47.770Z),"big":5n,"m":Map{"a" => 1},"s":Set[1],"b":Uint8Array(12 bytes),"n":NaN}');
  });

  it('plain JSON stays JSON, and a long value is cut to one line', () => {
    assert.equal(returnedText(tagged({ total: 6, tags: ['a', 'b'] })), 'returned {"total":6,"tags":["a","b"]}');
    const long = returnedText(tagged('x'.repeat(500)));
    assert.ok(long.length <= 'returned '.length + 120 && long.endsWith('…'));
  });

  it('an object that has a $caisson key of its own reads as that object', () => {
    assert.equal(returnedText(tagged({ $caisson: 'date', other: 1 })), 'returned {"$caisson":"date","other":1}');
  });

  it('call arguments read the same way', () => {
    const args = encodeTagged([[1, 2], { since: new Date('2026-05-01T00:00:00Z') }], 'args').json as unknown[];
    assert.equal(callText({ module: 'pipeline.ts', sha256: '', export: 'sum', args }), 'fn sum([1,2], {"since":Date(2026-05-01T00:00:00.000Z)}) from ./pipeline.ts');
  });
});
