/**
 * The tree rule of declared inputs: each input names a node that exists, declares the output taken,
 * and finishes before the consumer starts. In Caisson's trees that holds exactly when the nearest
 * common ancestor of producer and consumer is a Serial and the producer sits in an earlier child of it
 * (an earlier Serial sibling subtree, or an earlier sibling of an ancestor). Anything else (the same
 * Parallel, a later step, one inside the other) could start the consumer first, so it is refused when
 * the pipeline compiles, and when a stored IR is decoded.
 */
import type { ExecNode, Node } from '../ir/codecs.ts';
import type { IrProblem } from '../errors.ts';
import { kindLabel } from '../options/kinds.ts';

interface Placed { node: Node; path: string; chain: Array<{ node: Node; index: number }> }

/** Every node by path, with its ancestors and the index of the child leading down to it. */
function index(root: Node, rootPath: string): Map<string, Placed> {
  const out = new Map<string, Placed>();
  const visit = (node: Node, path: string, chain: Placed['chain']): void => {
    out.set(path, { node, path, chain });
    if (node.kind === 'exec' || !Array.isArray(node.children)) return;
    node.children.forEach((child, i) => {
      if (typeof child?.name === 'string') visit(child, `${path}/${child.name}`, [...chain, { node, index: i }]);
    });
  };
  visit(root, rootPath, []);
  return out;
}

/** The Execs at or under `node` that declare outputs, with their paths. */
export function producersUnder(node: Node, path: string): Array<{ node: ExecNode; path: string }> {
  if (node.kind === 'exec') return Array.isArray(node.outputs) && node.outputs.length ? [{ node, path }] : [];
  if (!Array.isArray(node.children)) return [];
  return node.children.flatMap((c) => (typeof c?.name === 'string' ? producersUnder(c, `${path}/${c.name}`) : []));
}

const within = (path: string, of: string): boolean => path === of || path.startsWith(`${of}/`);

/** Why producer `p` may not finish before consumer `c` starts, or undefined when it always does. */
function orderProblem(p: Placed, c: Placed): string | undefined {
  if (within(c.path, p.path)) return `${p.path} contains ${c.path}, so it cannot finish before ${c.path} starts`;
  if (within(p.path, c.path)) return `${c.path} contains ${p.path}`;
  let depth = 0;
  while (depth < p.chain.length && depth < c.chain.length && p.chain[depth]!.node === c.chain[depth]!.node && p.chain[depth]!.index === c.chain[depth]!.index) depth++;
  // p.chain[depth] and c.chain[depth] are the common ancestor, reached through different children.
  const common = p.chain[depth]!;
  const pIndex = common.index;
  const cIndex = c.chain[depth]!.index;
  const commonPath = c.path.split('/').slice(0, depth + 2).join('/');
  if (common.node.kind !== 'serial') {
    return `${p.path} and ${c.path} are under the ${kindLabel(common.node.kind)} ${commonPath}, so ${c.path} may start first; put the producer in an earlier step of a Serial`;
  }
  if (pIndex > cIndex) return `${p.path} runs after ${c.path} in the Serial ${commonPath}; move the producer to an earlier step`;
  return undefined;
}

/** Appends a problem for each input of every Exec that the tree cannot satisfy (see the module comment). */
export function checkInputOrder(root: Node, rootPath: string, problems: IrProblem[]): void {
  const nodes = index(root, rootPath);
  for (const consumer of nodes.values()) {
    const node = consumer.node;
    if (node.kind !== 'exec' || !Array.isArray(node.inputs)) continue;
    node.inputs.forEach((input, i) => {
      const field = `inputs.${i}`;
      const producer = nodes.get(input.from);
      if (!producer) {
        problems.push({ path: consumer.path, field, message: `no node ${input.from} in this pipeline; name the producing node by its full path` });
        return;
      }
      const order = orderProblem(producer, consumer);
      if (order) { problems.push({ path: consumer.path, field, message: order }); return; }
      const found = producersUnder(producer.node, producer.path);
      if (!found.length) { problems.push({ path: consumer.path, field, message: `${input.from} declares no outputs; give it outputs: [...]` }); return; }
      if (input.output !== undefined && !found.some((f) => f.node.outputs!.includes(input.output!))) {
        const known = [...new Set(found.flatMap((f) => f.node.outputs!))].map((o) => JSON.stringify(o)).join(', ');
        problems.push({ path: consumer.path, field, message: `${input.from} has no output ${JSON.stringify(input.output)} (its outputs: ${known})` });
      }
    });
  }
}
