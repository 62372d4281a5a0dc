/**
 * The three node kinds, and the one message for "this field or option exists, but not on this kind",
 * shared by the DSL and the IR decoder so both say it the same way.
 */

/** The node kinds, in the order error messages list them. */
export const NODE_KINDS = ['serial', 'parallel', 'exec'] as const;

/** `serial`, `parallel` or `exec`. */
export type NodeKind = (typeof NODE_KINDS)[number];

/** Every kind: for options any node takes. */
export const EVERY_KIND: readonly NodeKind[] = NODE_KINDS;

const LABEL: Record<NodeKind, string> = { serial: 'Serial', parallel: 'Parallel', exec: 'Exec' };
const article = (kind: NodeKind): string => (kind === 'exec' ? 'an' : 'a');

/** "Serial", "Parallel" or "Exec", as users call the builders. */
export const kindLabel = (kind: NodeKind): string => LABEL[kind];

/**
 * The message for a field or option set on a kind that does not take it, e.g.
 * "only a Serial or Parallel node has it (this is an Exec)".
 */
export function onlyOnMessage(kinds: readonly NodeKind[], kind: NodeKind): string {
  const ordered = NODE_KINDS.filter((k) => kinds.includes(k));
  const first = ordered[0] ?? kind;
  return `only ${article(first)} ${ordered.map(kindLabel).join(' or ')} node has it (this is ${article(kind)} ${kindLabel(kind)})`;
}
