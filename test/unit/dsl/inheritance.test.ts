import { strict as assert } from 'node:assert';
import { compile, pipeline, type GroupBuilder } from '../../../core/dsl/index.ts';
import type { ExecNode, Node } from '../../../core/ir/index.ts';
import { findNode } from '../../../core/ir/index.ts';

/** /ci (root options) → /ci/mid (mid options) → /ci/mid/leaf (leaf options), plus /ci/mid/sib (no options). */
function tree(root: object, mid: object, leaf: object): Node {
  return compile(
    pipeline('ci', root as never).serial('mid', (s: GroupBuilder<'serial'>) => s.exec('leaf', 'x', leaf as never).exec('sib', 'y'), mid as never),
  ).root;
}
const node = (root: Node, path: string) => findNode(root, path) as ExecNode;

describe('inheritance (docs/conducto-semantics.md#inheritance)', () => {
  it('applies the system defaults when nothing is set', () => {
    const leaf = node(tree({}, {}, {}), '/ci/mid/leaf');
    assert.deepEqual(
      { cpu: leaf.cpu, gpu: leaf.gpu, mem: leaf.mem, maxTime: leaf.maxTime, requiresDocker: leaf.requiresDocker, dockerRunArgs: leaf.dockerRunArgs, env: leaf.env, skip: leaf.skip, suppressErrors: leaf.suppressErrors, tags: leaf.tags, image: leaf.image },
      { cpu: 1, gpu: 0, mem: 2, maxTime: 14400, requiresDocker: false, dockerRunArgs: [], env: {}, skip: false, suppressErrors: false, tags: [], image: 'caisson-default' },
    );
  });

  // option, value on root, value on mid, value on leaf, expected effective [leaf, sibling]
  const nearest: Array<[string, unknown, unknown, unknown, [unknown, unknown]]> = [
    ['cpu', 2, undefined, undefined, [2, 2]],
    ['cpu', 2, 3, 0.5, [0.5, 3]],
    ['gpu', 1, undefined, 2, [2, 1]],
    ['mem', 8, 4, undefined, [4, 4]],
    ['requiresDocker', true, undefined, false, [false, true]],
    ['dockerRunArgs', ['--init'], undefined, ['--shm-size=1g'], [['--shm-size=1g'], ['--init']]],
    ['maxTime', '1h', '90s', undefined, [90, 90]],
    ['maxTime', 600, undefined, '2m', [120, 600]],
  ];
  for (const [option, rootValue, midValue, leafValue, [leafExpected, sibExpected]] of nearest) {
    it(`${option}: nearest ancestor-or-self wins (root ${JSON.stringify(rootValue)}, mid ${JSON.stringify(midValue)}, leaf ${JSON.stringify(leafValue)})`, () => {
      const t = tree({ [option]: rootValue }, { [option]: midValue }, { [option]: leafValue });
      assert.deepEqual(node(t, '/ci/mid/leaf')[option as keyof ExecNode], leafExpected);
      assert.deepEqual(node(t, '/ci/mid/sib')[option as keyof ExecNode], sibExpected);
    });
  }

  it('merges env per key, nearer definitions winning', () => {
    const t = tree({ env: { A: 'root', B: 'root' } }, { env: { B: 'mid', C: 'mid' } }, { env: { C: 'leaf' } });
    assert.deepEqual(node(t, '/ci/mid/leaf').env, { A: 'root', B: 'mid', C: 'leaf' });
    assert.deepEqual(node(t, '/ci/mid/sib').env, { A: 'root', B: 'mid', C: 'mid' });
    assert.deepEqual(t.env, { A: 'root', B: 'root' });
  });

  const perNode: Array<[string, unknown, unknown]> = [
    ['skip', true, false],
    ['suppressErrors', true, false],
    ['tags', ['a'], []],
  ];
  for (const [option, value, childDefault] of perNode) {
    it(`${option} is not inherited`, () => {
      const t = tree({}, { [option]: value }, {});
      assert.deepEqual((findNode(t, '/ci/mid') as unknown as Record<string, unknown>)[option], value);
      assert.deepEqual(node(t, '/ci/mid/leaf')[option as keyof ExecNode], childDefault);
    });
  }

  it('stopOnError, maxConcurrent, doc and title stay on the node that set them', () => {
    const t = compile(
      pipeline('ci', { stopOnError: false, maxConcurrent: 2, doc: 'root doc', title: 'CI' }).serial('inner', (s) => s.exec('x', 'y')),
    ).root;
    const inner = findNode(t, '/ci/inner') as unknown as Record<string, unknown>;
    assert.equal(inner.stopOnError, true);
    assert.equal('maxConcurrent' in inner, false);
    assert.equal('doc' in inner, false);
    assert.equal('title' in inner, false);
    assert.equal((t as unknown as Record<string, unknown>).title, 'CI');
  });
});

describe('container reuse (docs/conducto-semantics.md#container-reuse)', () => {
  // reuse on [root, mid, leaf] → expected container of leaf and of sib (which sets nothing)
  const cases: Array<[string, [string?, string?, string?], string, string]> = [
    ['default is global', [], 'global', 'global'],
    ['new on the root: one container for the whole tree', ['new'], '/ci', '/ci'],
    ['new on a Serial', [undefined, 'new'], '/ci/mid', '/ci/mid'],
    ['new on an Exec: its own container', [undefined, undefined, 'new'], '/ci/mid/leaf', 'global'],
    ['nearer new inside new', ['new', 'new'], '/ci/mid', '/ci/mid'],
    ['global escapes an enclosing new', ['new', 'global'], 'global', 'global'],
    ['global on an Exec escapes', ['new', undefined, 'global'], 'global', '/ci'],
    ['new below a global escape', ['new', 'global', 'new'], '/ci/mid/leaf', 'global'],
  ];
  for (const [label, [r, m, l], leafContainer, sibContainer] of cases) {
    it(label, () => {
      const t = tree({ reuse: r }, { reuse: m }, { reuse: l });
      assert.equal(node(t, '/ci/mid/leaf').container, leafContainer);
      assert.equal(node(t, '/ci/mid/sib').container, sibContainer);
      // reuse keeps exactly what the user set on each node
      assert.equal(findNode(t, '/ci/mid').reuse, m);
      assert.equal(node(t, '/ci/mid/sib').reuse, undefined);
    });
  }
});
