/**
 * Pure walks over an IR tree. Paths are "/" + the names from the root down, the root included
 * ("/ci/checks/unit"), as Conducto users address nodes.
 */
import type { Node, ContainerNode, ExecNode } from './codecs.ts';
import { NodeNotFoundError } from '../errors.ts';

/** Path of a child given its parent's path ("" for the root's parent). */
export const childPath = (parentPath: string, name: string): string => `${parentPath}/${name}`;

/** Depth-first pre-order visit with each node's path and parent. */
export function walk(root: Node, visit: (node: Node, path: string, parent: ContainerNode | undefined) => void): void {
  const stack: Array<[Node, string, ContainerNode | undefined]> = [[root, childPath('', root.name), undefined]];
  while (stack.length) {
    const [node, path, parent] = stack.pop()!;
    visit(node, path, parent);
    if (node.kind !== 'exec') {
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i]!;
        stack.push([child, childPath(path, child.name), node]);
      }
    }
  }
}

/** Every Exec with its path, in tree order. */
export function execNodes(root: Node): Array<{ node: ExecNode; path: string }> {
  const out: Array<{ node: ExecNode; path: string }> = [];
  walk(root, (node, path) => { if (node.kind === 'exec') out.push({ node, path }); });
  return out;
}

/** Splits "/ci/checks/unit" into ["ci", "checks", "unit"]; empty segments are ignored. */
export const splitPath = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

/** The node at an absolute path (root name first), or a NodeNotFoundError naming the path. */
export function findNode(root: Node, path: string): Node {
  const [first, ...rest] = splitPath(path);
  if (first !== root.name) throw new NodeNotFoundError(path, [`/${root.name}`]);
  let node: Node = root;
  let here = `/${root.name}`;
  for (const name of rest) {
    const children: Node[] = node.kind === 'exec' ? [] : node.children;
    const next = children.find((c) => c.name === name);
    if (!next) throw new NodeNotFoundError(path, children.map((c) => childPath(here, c.name)));
    node = next;
    here = childPath(here, name);
  }
  return node;
}
