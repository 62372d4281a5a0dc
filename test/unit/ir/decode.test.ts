import { strict as assert } from 'node:assert';
import { compile, pipeline } from '../../../core/dsl/index.ts';
import { IrDecodeError } from '../../../core/errors.ts';
import { canonicalJson, decodePipeline, encodePipeline } from '../../../core/ir/index.ts';

/** A valid compiled IR as plain JSON, to break in one place per case. */
function validIr(): any {
  const p = pipeline('ci', { image: 'node:20' })
    .exec('install', 'npm ci')
    .parallel('checks', (c) => c.exec('lint', 'lint').exec('unit', ['npm', 'test']), { maxConcurrent: 2 })
    .serial('deploy', (s) => s.exec('push', 'push'), { reuse: 'new', stopOnError: false });
  return JSON.parse(JSON.stringify(compile(p)));
}
const unit = (ir: any) => ir.root.children[1].children[1];

/** Asserts decode fails with exactly these "path: field: message" lines. */
function assertProblems(ir: unknown, expected: string[]) {
  assert.throws(() => decodePipeline(ir), (e: unknown) => {
    assert.ok(e instanceof IrDecodeError);
    assert.deepEqual(e.problems.map((p) => `${p.path || '(pipeline)'}: ${p.field ? `${p.field}: ` : ''}${p.message}`), expected);
    return true;
  });
}

describe('decodePipeline', () => {
  it('accepts a compiled IR and decode → encode is the identity', () => {
    const ir = validIr();
    assert.deepEqual(encodePipeline(decodePipeline(ir)), ir);
    assert.equal(canonicalJson(encodePipeline(decodePipeline(ir))), canonicalJson(ir));
  });

  it('accepts a duration string for maxTime and encodes seconds', () => {
    const ir = validIr();
    unit(ir).maxTime = '1h30m';
    const decoded = decodePipeline(ir) as any;
    assert.equal(decoded.root.children[1].children[1].maxTime, 5400);
  });

  const cases: Array<[string, (ir: any) => unknown, string[]]> = [
    ['bad maxTime', (ir) => { unit(ir).maxTime = '-3'; }, ['/ci/checks/unit: maxTime: expected seconds > 0 or a duration like "90s", got "-3"']],
    ['cpu zero', (ir) => { unit(ir).cpu = 0; }, ['/ci/checks/unit: cpu: expected CPUs > 0, got 0']],
    ['mem missing', (ir) => { delete unit(ir).mem; }, ['/ci/checks/unit: mem: expected GB > 0, got nothing']],
    ['gpu fraction', (ir) => { unit(ir).gpu = 1.5; }, ['/ci/checks/unit: gpu: expected a whole number of GPUs >= 0, got 1.5']],
    ['env value number', (ir) => { unit(ir).env = { A: 1 }; }, ['/ci/checks/unit: env.A: expected a string, got 1']],
    ['command number', (ir) => { unit(ir).command = 42; }, ['/ci/checks/unit: command: expected a shell script string or an argv array of strings, got 42']],
    ['reuse typo', (ir) => { unit(ir).reuse = 'old'; }, ['/ci/checks/unit: reuse: expected "new" or "global" (leave it unset to inherit), got "old"']],
    ['maxConcurrent zero', (ir) => { ir.root.children[1].maxConcurrent = 0; }, ['/ci/checks: maxConcurrent: expected a whole number >= 1, got 0']],
    ['unknown kind', (ir) => { unit(ir).kind = 'job'; }, ['/ci/checks/unit: kind: expected "serial", "parallel" or "exec", got "job"']],
    ['node not an object', (ir) => { ir.root.children[1].children[1] = 'x'; }, ['/ci/checks/children[1]: expected a node object, got "x"']],
    ['name with slash', (ir) => { unit(ir).name = 'a/b'; }, ['/ci/checks/children[1]: name: must not contain "/", got "a/b"']],
    ['env name with "="', (ir) => { unit(ir).env = { 'A=B': 'x' }; }, ['/ci/checks/unit: env: expected a variable name (not empty, no "=" or NUL), got "A=B"']],
    ['empty secrets name', (ir) => { unit(ir).secrets = { '': 'TOKEN' }; }, ['/ci/checks/unit: secrets: expected a variable name (not empty, no "=" or NUL), got ""']],
    ['name with a lone surrogate', (ir) => { unit(ir).name = 'u\uD800'; }, ['/ci/checks/children[1]: name: must be well-formed Unicode (it has a lone surrogate), got "u\\ud800"']],
    ['name with a NUL', (ir) => { unit(ir).name = 'u\0'; }, ['/ci/checks/children[1]: name: must not contain control characters (NUL, tab, newline, ...), got "u\\u0000"']],
    ['name too long', (ir) => { unit(ir).name = 'u'.repeat(256); }, [`/ci/checks/children[1]: name: must be at most 255 characters long, got "${'u'.repeat(56)}...`]],
    ['pipeline name with a lone surrogate', (ir) => { ir.name = '\uDC00'; }, ['(pipeline): name: must be well-formed Unicode (it has a lone surrogate), got "\\udc00"']],
    ['root name with a lone surrogate', (ir) => { ir.root.name = 'c\uDC00'; ir.name = 'c\uDC00'; ir.root.children = []; }, [
      '(pipeline): name: must be well-formed Unicode (it has a lone surrogate), got "c\\udc00"',
      '/(root): name: must be well-formed Unicode (it has a lone surrogate), got "c\\udc00"',
    ]],
    ['unknown field', (ir) => { unit(ir).maxtime = 3; }, ['/ci/checks/unit: maxtime: unknown field']],
    ['stopOnError on a parallel', (ir) => { ir.root.children[1].stopOnError = true; }, ['/ci/checks: stopOnError: only a Serial node has it (this is a Parallel)']],
    ['children on an exec', (ir) => { unit(ir).children = []; }, ['/ci/checks/unit: children: only a Serial or Parallel node has it (this is an Exec)']],
    ['duplicate sibling names', (ir) => { unit(ir).name = 'lint'; }, ['/ci/checks: children: more than one child is named "lint"; sibling names must be unique']],
    ['image not in the table', (ir) => { unit(ir).image = 'ghost'; }, ['/ci/checks/unit: image: "ghost" is not in the images table (known: "node-20")']],
    ['image key differs from its name', (ir) => { ir.images['node-20'].name = 'other'; }, ['(pipeline): images.node-20.name: expected the table key "node-20", got "other"']],
    ['image of unknown kind', (ir) => { ir.images['node-20'].kind = 'magic'; }, ['(pipeline): images.node-20.kind: expected "ref" or "base-reqs" or "git" or "dockerfile" or "custom", got "magic"']],
    ['image ref missing', (ir) => { delete ir.images['node-20'].ref; }, ['(pipeline): images.node-20.ref: expected a string, got nothing']],
    ['container not from the reuse rules', (ir) => { ir.root.children[2].children[0].container = 'global'; }, ['/ci/deploy/push: container: expected "/ci/deploy" from the reuse settings of this node and its ancestors, got "global"']],
    ['container of a global exec', (ir) => { unit(ir).container = '/ci'; }, ['/ci/checks/unit: container: expected "global" from the reuse settings of this node and its ancestors, got "/ci"']],
    ['wrong apiVersion', (ir) => { ir.apiVersion = 'caisson/v0'; }, ['(pipeline): apiVersion: expected "caisson/v1", got "caisson/v0"']],
    ['name differs from the root', (ir) => { ir.name = 'cd'; }, ['(pipeline): name: expected the root node\'s name "ci", got "cd"']],
    ['unknown document field', (ir) => { ir.extra = 1; }, ['(pipeline): extra: unknown field']],
    ['images not an object', (ir) => { ir.images = []; }, ['(pipeline): images: expected an object of image specs keyed by name, got []']],
  ];
  for (const [label, breakIt, expected] of cases) {
    it(`reports ${label} with node path and field`, () => {
      const ir = validIr();
      breakIt(ir);
      assertProblems(ir, expected);
    });
  }

  it('lists every problem in one error', () => {
    const ir = validIr();
    unit(ir).maxTime = '-3';
    unit(ir).cpu = -1;
    ir.root.children[0].skip = 'no';
    assert.throws(() => decodePipeline(ir), (e: unknown) => e instanceof IrDecodeError
      && e.message === [
        'invalid pipeline IR (3 problems):',
        '  /ci/install: skip: expected true or false, got "no"',
        '  /ci/checks/unit: cpu: expected CPUs > 0, got -1',
        '  /ci/checks/unit: maxTime: expected seconds > 0 or a duration like "90s", got "-3"',
      ].join('\n'));
  });

  it('rejects a non-object document', () => {
    assertProblems(null, ['(pipeline): expected a pipeline object, got null']);
  });
});
