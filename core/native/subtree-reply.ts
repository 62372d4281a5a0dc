/**
 * A native call that returns a pipeline builder (a lazy node's generator function) sends back the
 * builder's subtree document, not the builder: builders carry this method, found through the global
 * symbol registry so that it works across copies of caisson (the one in a bundle, the one on the host).
 */
export const SUBTREE_REPLY: unique symbol = Symbol.for('caisson.subtree-reply') as never;

/** `value`'s subtree document when it is a builder, else `value` unchanged. */
export function subtreeOrValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const make = (value as Record<PropertyKey, unknown>)[Symbol.for('caisson.subtree-reply')];
    if (typeof make === 'function') return (make as () => unknown).call(value);
  }
  return value;
}
