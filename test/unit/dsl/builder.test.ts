import { strict as assert } from 'node:assert';
import { compile, exec, parallel, pipeline, serial, ExecBuilder, GroupBuilder } from '../../../core/dsl/index.ts';
import { throwsCode } from '../../helpers/errors.ts';
import type { ExecNode, Node, SerialNode } from '../../../core/ir/index.ts';
import { findNode } from '../../../core/ir/index.ts';

const names = (node: Node): string[] => (node.kind === 'exec' ? [] : node.children.map((c) => c.name));
const at = (root: Node, path: string) => findNode(root, path);

describe('DSL builders', () => {
  it('compiles the issue\'s example shape to the expected tree', () => {
    const checks = parallel({ maxConcurrent: 2 }).exec('lint', 'npm run lint').exec('unit', 'npm test', { mem: 4 });
    const addCleanup = (b: GroupBuilder<'serial'>) => b.exec('cleanup', 'echo bye');
    const p = pipeline('ci', { image: 'node:20', env: { CI: '1' } })
      .exec('install', 'npm ci')
      .add('checks', checks)
      .parallel('more', (b) => b.exec('a', 'echo a').exec('b', ['echo', 'b']))
      .serial('deploy', (s) => s.exec('push', `
          set -e
          echo push
      `), { stopOnError: false })
      .with(addCleanup);
    const ir = compile(p);
    assert.equal(ir.apiVersion, 'caisson/v1');
    assert.equal(ir.name, 'ci');
    assert.equal(ir.root.kind, 'serial');
    assert.deepEqual(names(ir.root), ['install', 'checks', 'more', 'deploy', 'cleanup']);
    assert.equal(at(ir.root, '/ci/checks').kind, 'parallel');
    assert.equal((at(ir.root, '/ci/checks') as { maxConcurrent?: number }).maxConcurrent, 2);
    assert.equal((at(ir.root, '/ci/checks/unit') as ExecNode).mem, 4);
    assert.deepEqual((at(ir.root, '/ci/more/b') as ExecNode).command, ['echo', 'b']);
    assert.equal((at(ir.root, '/ci/deploy/push') as ExecNode).command, 'set -e\necho push');
    assert.equal((at(ir.root, '/ci/deploy') as SerialNode).stopOnError, false);
    assert.equal((at(ir.root, '/ci') as SerialNode).stopOnError, true);
  });

  it('makes a Parallel root with { parallel: true } or by naming a parallel() value', () => {
    assert.equal(compile(pipeline('p', { parallel: true }).exec('a', 'true')).root.kind, 'parallel');
    const ir = compile(pipeline('p', parallel({ maxConcurrent: 3 }).exec('a', 'true')));
    assert.equal(ir.root.kind, 'parallel');
    assert.equal(ir.root.name, 'p');
    assert.equal((ir.root as { maxConcurrent?: number }).maxConcurrent, 3);
  });

  it('is immutable: earlier builders are unchanged by later calls', () => {
    const base = pipeline('ci').exec('a', 'echo a');
    const withB = base.exec('b', 'echo b');
    const withC = base.exec('c', 'echo c'); // branches from an older version
    const withD = withB.exec('d', 'echo d');
    const set = withB.set({ cpu: 4 });
    const replaced = withB.replace('/ci/a', exec('echo A'));
    assert.deepEqual(names(compile(base).root), ['a']);
    assert.deepEqual(names(compile(withB).root), ['a', 'b']);
    assert.deepEqual(names(compile(withC).root), ['a', 'c']);
    assert.deepEqual(names(compile(withD).root), ['a', 'b', 'd']);
    assert.equal(compile(withB).root.cpu, 1);
    assert.equal(compile(set).root.cpu, 4);
    assert.equal((at(compile(withB).root, '/ci/a') as ExecNode).command, 'echo a');
    assert.equal((at(compile(replaced).root, '/ci/a') as ExecNode).command, 'echo A');
    // A name taken only in a later version is still free in the earlier one.
    assert.deepEqual(names(compile(base.exec('b', 'other')).root), ['a', 'b']);
  });

  it('grafts one prebuilt subtree under several names', () => {
    const step = serial().exec('x', 'echo x');
    const ir = compile(pipeline('p').add('one', step).add('two', step));
    assert.deepEqual(names(ir.root), ['one', 'two']);
    assert.deepEqual(names(at(ir.root, '/p/two')), ['x']);
  });

  it('reads nodes by absolute or relative path with get()', () => {
    const p = pipeline('ci').parallel('checks', (c) => c.exec('unit', 'npm test', { mem: 4 }));
    const unit = p.get('/ci/checks/unit');
    assert.ok(unit instanceof ExecBuilder);
    assert.equal(unit.command, 'npm test');
    assert.equal(unit.options.mem, 4);
    const checks = p.get('checks');
    assert.ok(checks instanceof GroupBuilder);
    assert.deepEqual(checks.childNames, ['unit']);
    assert.equal(p.get('/ci'), p);
  });

  it('replaces a node by path, keeping its name', () => {
    const p = pipeline('ci').parallel('checks', (c) => c.exec('lint', 'lint').exec('unit', 'npm test'));
    const ir = compile(p.replace('/ci/checks/unit', exec('npm test -- --bail', { mem: 8 })));
    assert.deepEqual(names(at(ir.root, '/ci/checks')), ['lint', 'unit']);
    const unit = at(ir.root, '/ci/checks/unit') as ExecNode;
    assert.equal(unit.command, 'npm test -- --bail');
    assert.equal(unit.mem, 8);
  });

  it('names the path for unknown nodes in get() and replace()', () => {
    const p = pipeline('ci').parallel('checks', (c) => c.exec('unit', 'x'));
    throwsCode(() => p.get('/ci/checks/nope'), 'NODE_NOT_FOUND', { path: '/ci/checks/nope', known: ['/ci/checks/unit'] });
    throwsCode(() => p.replace('/ci/x/y', exec('true')), 'NODE_NOT_FOUND', { path: '/ci/x', known: ['/ci/checks'] });
    throwsCode(() => p.get('/other/checks'), 'NODE_NOT_FOUND', { path: '/other/checks', known: ['/ci'] });
    throwsCode(() => serial().get('/x'), 'DSL', { path: '(serial)' });
  });

  const nameErrors: Array<[string, () => unknown, string, string?]> = [
    ['duplicate sibling', () => pipeline('ci').parallel('checks', (c) => c.exec('unit', 'a').exec('unit', 'b')), '/ci/checks'],
    ['duplicate via add', () => pipeline('ci').exec('a', 'x').add('a', exec('y')), '/ci'],
    ['slash in name', () => pipeline('ci').exec('a/b', 'x'), '/ci', 'name'],
    ['empty name', () => pipeline('ci').serial('', {}), '/ci', 'name'],
    ['bad pipeline name', () => pipeline('a/b'), 'pipeline()', 'name'],
    ['detached duplicate', () => parallel().exec('u', 'a').exec('u', 'b'), '(parallel)'],
    ['empty command', () => pipeline('ci').exec('a', '   '), '/ci/a', 'command'],
    ['empty argv', () => pipeline('ci').exec('a', []), '/ci/a', 'command'],
    // A function is a native call (exec(name, fn, ...args)); an inline arrow has no export to import.
    ['an inline arrow as the function', () => compile(pipeline('ci').exec('n', () => 'x')), '/ci/n', 'fn'],
    ['an inline arrow given to exec()', () => compile(pipeline('ci').add('n', exec(() => 'x'))), '/ci/n', 'fn'],
    ['a function as the options', () => exec('true', (() => 'x') as never), '(exec)'],
    ['a lone surrogate in a name', () => pipeline('ci').exec('a\uD800', 'x'), '/ci', 'name'],
    ['a NUL in a name', () => pipeline('ci').serial('a\0b'), '/ci', 'name'],
    ['a newline in a name', () => pipeline('ci').parallel('a\nb'), '/ci', 'name'],
    ['a name over 255 characters', () => pipeline('ci').add('x'.repeat(256), exec('true')), '/ci', 'name'],
    ['a lone surrogate in the pipeline name', () => pipeline('\uDC00ci'), 'pipeline()', 'name'],
    ['a tab in the pipeline name', () => pipeline('c\ti'), 'pipeline()', 'name'],
    ['callback returns other kind', () => pipeline('ci').serial('s', () => parallel() as never), '/ci/s'],
    ['compile detached', () => compile(serial()), '(serial)'],
  ];
  for (const [label, fn, path, option] of nameErrors) {
    it(`rejects ${label} with one DslError naming the path`, () => {
      throwsCode(fn, 'DSL', { path, ...(option && { option }) });
    });
  }

  it('shows a bad name with its invisible characters escaped, and a long one cut', () => {
    assert.equal(throwsCode(() => pipeline('ci').serial('a\0b'), 'DSL').message, '/ci: child name: must not contain control characters (NUL, tab, newline, ...), got "a\\u0000b"');
    assert.equal(throwsCode(() => pipeline('\uDC00ci'), 'DSL').message, 'pipeline(): name: must be well-formed Unicode (it has a lone surrogate), got "\\udc00ci"');
    assert.ok(throwsCode(() => pipeline('ci').add('x'.repeat(256), exec('true')), 'DSL').message.endsWith(`got "${'x'.repeat(56)}...`));
  });

  it('keeps 10,000 chained .exec() calls linear (shared child list)', () => {
    let p = pipeline('big', { parallel: true });
    for (let i = 0; i < 10_000; i++) p = p.exec(`n${i}`, 'true');
    const ir = compile(p);
    assert.equal(names(ir.root).length, 10_000);
    assert.equal(names(ir.root)[9_999], 'n9999');
  });
});
