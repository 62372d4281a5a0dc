// The run's tree as the views walk it: nodes built once from the server's compact pre-order list, and
// the visible rows (what is expanded, what is folded) computed from it. A Serial or Parallel with more
// than FOLD_AT children is a fan-out: it shows folded, as one row `shard ×480 (3 failed)`, until opened.

export const FOLD_AT = 40;

/** Nodes from [[name, kindLetter, parentIndex], …] in pre-order. */
export function buildNodes(compact) {
  const kinds = { e: 'exec', s: 'serial', p: 'parallel' };
  const nodes = [];
  for (const [name, k, parent] of compact) {
    const p = parent >= 0 ? nodes[parent] : undefined;
    const node = { i: nodes.length, name, kind: kinds[k], parent: p, children: [], path: `${p ? p.path : ''}/${name}`, depth: p ? p.depth + 1 : 0 };
    if (p) p.children.push(node);
    nodes.push(node);
  }
  return nodes;
}

/** Is the container shown open? `toggled` holds the paths the person opened or closed. */
export const isOpen = (node, toggled) => {
  const byDefault = node.depth === 0 || node.children.length <= FOLD_AT;
  return toggled.has(node.path) ? !byDefault : byDefault;
};

/** The rows shown, in order: each a node, and whether it is a folded container. */
export function visibleRows(root, toggled) {
  const rows = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop();
    const open = n.kind === 'exec' || isOpen(n, toggled);
    rows.push({ node: n, folded: !open });
    if (open) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return rows;
}

/** What a folded fan-out says about its children: "(3 failed, 2 running)". */
export function foldSummary(node, statuses) {
  let failed = 0;
  let running = 0;
  let done = 0;
  for (const c of node.children) {
    const s = statuses[c.path]?.state;
    if (s === 'error' || s === 'killed') failed++;
    else if (s === 'running' || s === 'queued') running++;
    else if (s === 'done') done++;
  }
  const parts = [];
  if (failed) parts.push(`${failed} failed`);
  if (running) parts.push(`${running} running`);
  if (done && !failed && !running) parts.push(done === node.children.length ? 'all done' : `${done} done`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** The path of the next node after `from` (tree order) in error or killed, wrapping around; undefined if none. */
export function nextError(nodes, statuses, from) {
  const start = from ? nodes.findIndex((n) => n.path === from) : -1;
  for (let k = 1; k <= nodes.length; k++) {
    const n = nodes[(start + k + nodes.length) % nodes.length];
    const s = statuses[n.path]?.state;
    if (n.kind === 'exec' && (s === 'error' || s === 'killed')) return n.path;
  }
  return undefined;
}
