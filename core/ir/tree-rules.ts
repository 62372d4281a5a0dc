/**
 * Rules that span nodes, checked after each node decoded on its own: sibling names unique, every `image` in
 * the images table, and each Exec's `container` consistent with the reuse rules
 * (docs/conducto-semantics.md#container-reuse: the nearest ancestor-or-self with reuse "new" owns the
 * container, a nearer "global" escapes it, the root default is global).
 */
import type { Node } from './codecs.ts';
import type { IrProblem } from '../errors.ts';
import type { Reuse } from '../options/rules.ts';
import { renderValue } from './validation-errors.ts';

/** The container group an Exec at `path` gets, given the group inherited from its parent. */
export function containerFor(node: { readonly reuse?: Reuse | undefined }, path: string, inherited: string): string {
  if (node.reuse === 'new') return path;
  if (node.reuse === 'global') return 'global';
  return inherited;
}

/**
 * Checks the tree rules on a decoded tree; the tree may be partial when nodes failed to decode.
 * `imageNames` are the keys of the images table (undefined when the table itself is unusable, so
 * one broken table does not cascade into a problem per node). `inheritedContainer` is the container group
 * the root inherits (a grafted subtree's comes from its graft point).
 */
export function checkTreeRules(root: Node, rootPath: string, imageNames: ReadonlySet<string> | undefined, problems: IrProblem[], inheritedContainer = 'global'): void {
  const known = imageNames ? [...imageNames].sort() : [];
  const visit = (node: Node, path: string, inheritedContainer: string): void => {
    if (imageNames && typeof node.image === 'string' && !imageNames.has(node.image)) {
      const list = known.length ? known.map((k) => JSON.stringify(k)).join(', ') : 'none';
      problems.push({ path, field: 'image', message: `${renderValue(node.image)} is not in the images table (known: ${list})` });
    }
    const container = containerFor(node, path, inheritedContainer);
    if (node.kind === 'exec') {
      if ((node.command === undefined) === (node.call === undefined)) {
        problems.push({ path, field: 'command', message: node.call ? 'an Exec has a command or a call, not both' : 'expected a command (shell script or argv array) or a native call, got neither' });
      }
      if (typeof node.container === 'string' && node.container !== container) {
        problems.push({
          path,
          field: 'container',
          message: `expected ${JSON.stringify(container)} from the reuse settings of this node and its ancestors, got ${renderValue(node.container)}`,
        });
      }
      return;
    }
    if (!Array.isArray(node.children)) return;
    const seen = new Set<string>();
    for (const child of node.children) {
      if (typeof child.name !== 'string') continue;
      if (seen.has(child.name)) {
        problems.push({ path, field: 'children', message: `more than one child is named ${JSON.stringify(child.name)}; sibling names must be unique` });
        continue;
      }
      seen.add(child.name);
      visit(child, `${path}/${child.name}`, container);
    }
  };
  visit(root, rootPath, inheritedContainer);
}
