// The IR codecs as a library user calls them: PipelineIR.is() on documents that are valid and broken in
// one field, decode messages for names and durations, canonical JSON and shell quoting.
import { strict as assert } from 'node:assert';
import { PipelineIR, canonicalJson, decodePipeline, encodePipeline, shellJoin, shellQuote } from '../../../core/plugin-kit.ts';
import { decodeProblems, exec, parallel, pipeline, serial } from '../../helpers/ir.ts';

/** A valid IR with a Serial (maxConcurrent), a Parallel and an Exec, as plain JSON. */
const doc = (): any => JSON.parse(JSON.stringify(pipeline(serial('ci', [parallel('p', [exec('a', ['echo', 'x'])])], { maxConcurrent: 2 }))));
const a = (ir: any) => ir.root.children[0].children[0];

const problems = decodeProblems;

describe('ir: PipelineIR.is', () => {
  it('accepts a valid document', () => {
    assert.equal(PipelineIR.is(doc()), true);
  });

  const broken: Array<[string, (ir: any) => void]> = [
    ['cpu 0', (ir) => { a(ir).cpu = 0; }],
    ['cpu negative', (ir) => { a(ir).cpu = -1; }],
    ['cpu infinite', (ir) => { a(ir).cpu = Infinity; }],
    ['cpu a string', (ir) => { a(ir).cpu = '1'; }],
    ['mem 0', (ir) => { a(ir).mem = 0; }],
    ['gpu fractional', (ir) => { a(ir).gpu = 0.5; }],
    ['gpu negative', (ir) => { a(ir).gpu = -1; }],
    ['gpu a string', (ir) => { a(ir).gpu = '1'; }],
    ['maxTime 0', (ir) => { a(ir).maxTime = 0; }],
    ['maxTime infinite', (ir) => { a(ir).maxTime = Infinity; }],
    ['maxTime a string', (ir) => { a(ir).maxTime = '90s'; }],
    ['maxConcurrent 0', (ir) => { ir.root.maxConcurrent = 0; }],
    ['maxConcurrent fractional', (ir) => { ir.root.maxConcurrent = 1.5; }],
    ['maxConcurrent a string', (ir) => { ir.root.maxConcurrent = '2'; }],
    ['an empty name', (ir) => { a(ir).name = ''; }],
    ['a name with a slash', (ir) => { a(ir).name = 'x/y'; }],
    ['a name that is a number', (ir) => { a(ir).name = 7; }],
    ['env with a number', (ir) => { a(ir).env = { A: 1 }; }],
  ];
  for (const [label, breakIt] of broken) {
    it(`rejects a document with ${label}`, () => {
      const ir = doc();
      breakIt(ir);
      assert.equal(PipelineIR.is(ir), false);
    });
  }

  it('accepts the smallest valid numbers', () => {
    const ir = doc();
    Object.assign(a(ir), { cpu: 0.001, mem: 0.001, gpu: 0, maxTime: 0.5 });
    ir.root.maxConcurrent = 1;
    assert.equal(PipelineIR.is(ir), true);
    assert.doesNotThrow(() => decodePipeline(ir));
  });
});

describe('ir: decode messages for names and durations', () => {
  it('says why a node name is bad', () => {
    const empty = doc();
    a(empty).name = '';
    assert.deepEqual(problems(empty), ['/ci/p/children[0]: name: must not be empty, got ""']);
    const number = doc();
    a(number).name = 5;
    assert.deepEqual(problems(number), ['/ci/p/children[0]: name: expected a string, got 5']);
  });

  it('says why the pipeline name is bad, and names an unnamed root "(root)"', () => {
    const d = doc();
    d.name = '';
    assert.deepEqual(problems(d), ['(pipeline): name: must not be empty, got ""']);
    const unnamed = doc();
    delete unnamed.root.name;
    delete unnamed.name;
    assert.ok(problems(unnamed).every((line) => line.startsWith('(pipeline)') || line.startsWith('/(root)')), problems(unnamed).join('\n'));
  });

  it('rejects a zero duration, as a number or as text, and takes the smallest positive one', () => {
    for (const value of [0, '0s', '0']) {
      const d = doc();
      a(d).maxTime = value;
      assert.deepEqual(problems(d), [`/ci/p/a: maxTime: expected seconds > 0 or a duration like "90s", got ${JSON.stringify(value)}`]);
    }
    const d = doc();
    a(d).maxTime = '1ms';
    assert.equal((decodePipeline(d) as any).root.children[0].children[0].maxTime, 0.001);
  });

  it('says which node kinds a misplaced field belongs to', () => {
    const onExec = doc();
    a(onExec).maxConcurrent = 2;
    assert.deepEqual(problems(onExec), ['/ci/p/a: maxConcurrent: only a Serial or Parallel node has it (this is an Exec)']);
    const onSerial = doc();
    onSerial.root.command = 'x';
    onSerial.root.container = 'global';
    assert.deepEqual(problems(onSerial), [
      '/ci: command: only an Exec node has it (this is a Serial)',
      '/ci: container: only an Exec node has it (this is a Serial)',
    ]);
  });

  it('reports the children of a Parallel that is not an array', () => {
    const d = doc();
    d.root.children[0].children = 'x';
    assert.deepEqual(problems(d), ['/ci/p: children: expected an array, got "x"']);
  });

  it('reports an image table entry of the wrong kind of field', () => {
    const d = doc();
    d.images.img.ref = 5;
    assert.deepEqual(problems(d), ['(pipeline): images.img.ref: expected a string, got 5']);
  });

  it('lists the known images, sorted, when one is missing, or says there are none', () => {
    const d = doc();
    d.images = { zeta: { kind: 'ref', name: 'zeta', ref: 'z' }, alpha: { kind: 'ref', name: 'alpha', ref: 'a' } };
    assert.ok(problems(d).includes('/ci/p/a: image: "img" is not in the images table (known: "alpha", "zeta")'), problems(d).join('\n'));
    const none = doc();
    none.images = {};
    assert.ok(problems(none).includes('/ci/p/a: image: "img" is not in the images table (known: none)'));
  });
});

describe('ir: canonical JSON and shell quoting', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{\n  "a": {\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}');
    assert.equal(canonicalJson(undefined), 'null');
    const encoded = encodePipeline(decodePipeline(doc()));
    assert.deepEqual(Object.keys(encoded), ['apiVersion', 'images', 'name', 'root']);
    assert.deepEqual(Object.keys(encoded.root), [...Object.keys(encoded.root)].sort());
  });

  it('quotes an empty word, leaves safe words bare and quotes the rest', () => {
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('a-b_c.d/e:f=g,h@i%j+k'), 'a-b_c.d/e:f=g,h@i%j+k');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellJoin(['echo', '', "it's"]), "echo '' 'it'\"'\"'s'");
  });
});
