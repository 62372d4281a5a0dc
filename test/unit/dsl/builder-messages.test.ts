// The group builder's refusals, word for word (each names the node), and what get(), replace(), with()
// and registerImage() give back when used right.
import { strict as assert } from 'node:assert';
import { compile, exec, image, parallel, pipeline, serial, type ContainerNode, type GroupBuilder } from '../../../core/index.ts';
import { throwsCode } from '../../helpers/errors.ts';

const refuses = (fn: () => unknown, path: string, message: string, option?: string) =>
  assert.equal(throwsCode(fn, 'DSL', { path, ...(option && { option }) }).message, message);
const notFound = (fn: () => unknown, path: string, message: string) =>
  assert.equal(throwsCode(fn, 'NODE_NOT_FOUND', { path }).message, message);
const db = { image: 'postgres:16' } as never;
/** The compiled root of a pipeline, which is always a group. */
const rootOf = (p: GroupBuilder) => compile(p).root as ContainerNode;

describe('dsl: the group builder refuses misuse, naming the node', () => {
  it('add() takes builders only; names are unique among a group\'s children and services', () => {
    refuses(() => pipeline('p').add('x', 5 as never), '/p/x', '/p/x: expected a subtree made by exec(), serial(), parallel() or pipeline(), got number');
    refuses(() => pipeline('p').add('x', {} as never), '/p/x', '/p/x: expected a subtree made by exec(), serial(), parallel() or pipeline(), got object');
    refuses(() => pipeline('p').exec('a', 'x').exec('a', 'y'), '/p', '/p: a child named "a" already exists');
    refuses(() => pipeline('p').service('db', db).exec('db', 'y'), '/p', '/p: a service named "db" already exists; a child and a service of one group need different names');
    refuses(() => pipeline('p').exec('db', 'y').service('db', db), '/p', '/p: a child named "db" already exists');
    refuses(() => pipeline('p').service('db', db).service('db', db), '/p', '/p: a service named "db" already exists');
    assert.deepEqual(rootOf(pipeline('p').service('db', db).service('cache', db).exec('a', 'x')).services?.map((s) => s.name), ['db', 'cache']);
  });

  it('serial() and parallel(): options once, and the build function returns the builder it was given', () => {
    refuses(() => pipeline('p').serial('s', { maxTime: 3 } as never, { maxTime: 4 } as never), '/p/s', '/p/s: options were given twice; pass (name, build, options) or (name, options)');
    refuses(() => pipeline('p').serial('s', () => parallel() as never), '/p/s', '/p/s: the build function must return the serial builder it was given (or one derived from it)');
    refuses(() => pipeline('p').parallel('s', (() => undefined) as never), '/p/s', '/p/s: the build function must return the parallel builder it was given (or one derived from it)');
    const root = rootOf(pipeline('p').serial('a', { maxTime: 3 }).parallel('b', (b) => b.exec('x', 'true'), { maxTime: 4 }).serial('c', undefined as never, { maxTime: 5 }));
    assert.deepEqual(root.children.map((c) => [c.name, c.kind, (c as { maxTime?: number }).maxTime]), [['a', 'serial', 3], ['b', 'parallel', 4], ['c', 'serial', 5]]);
  });

  it('with() runs a fragment and needs a builder back', () => {
    refuses(() => pipeline('p').with(() => 5 as never), '/p', '/p: the function given to with() must return a builder');
    assert.deepEqual(rootOf(pipeline('p').with((g) => g.exec('cleanup', 'rm -rf tmp'))).children.map((c) => c.name), ['cleanup']);
  });

  it('registerImage() takes an image() value or a reference', () => {
    refuses(() => pipeline('p').registerImage('  '), '/p', '/p: registerImage: expected an image({...}) value or a Docker reference, got "  "', 'registerImage');
    refuses(() => pipeline('p').registerImage(5 as never), '/p', '/p: registerImage: expected an image({...}) value or a Docker reference, got 5', 'registerImage');
    const ir = compile(pipeline('p').registerImage('node:20').registerImage(image({ ref: 'busybox:latest', name: 'bb' })).exec('a', 'x'));
    assert.ok(ir.images['node-20'] && ir.images.bb, Object.keys(ir.images).join(', '));
  });

  it('get() and replace(): absolute paths from a pipeline root, relative ones anywhere; a miss lists what is there', () => {
    const p = pipeline('p').serial('s', (s) => s.exec('a', 'x').exec('b', 'y'));
    refuses(() => serial().exec('a', 'x').get('/p/a'), '(serial)', '(serial): "/p/a" is absolute but this is not a pipeline root; use a path relative to this node');
    notFound(() => p.get('s/zz'), '/p/s/zz', 'no node at /p/s/zz; known children: /p/s/a, /p/s/b');
    notFound(() => p.get('/q/a'), '/q/a', 'no node at /q/a; known children: /p');
    notFound(() => p.get('s/a/deeper'), '/p/s/a/deeper', 'no node at /p/s/a/deeper');
    assert.equal(rootOf(pipeline('q').add('copy', p.get('/p/s/b'))).children[0]!.kind, 'exec');
    assert.equal(p.get(''), p, 'the empty path is the node itself');
    refuses(() => p.replace('/p', exec('z')), '/p', '/p: cannot replace the node itself; build a new one instead');
    notFound(() => p.replace('s/a/b', exec('z')), '/p/s/a/b', 'no node at /p/s/a/b');
    notFound(() => p.replace('q', exec('z')), '/p/q', 'no node at /p/q; known children: /p/s');
    const s = rootOf(p.replace('/p/s/b', exec('echo new'))).children[0] as { children: Array<{ name: string; command?: unknown }> };
    assert.deepEqual(s.children.map((c) => [c.name, c.command]), [['a', 'x'], ['b', 'echo new']]);
    refuses(() => p.replace('s/b', 7 as never), '/p/s/b', '/p/s/b: expected a subtree made by exec(), serial(), parallel() or pipeline(), got number');
  });
});
