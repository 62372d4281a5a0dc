/**
 * Inheritance for a generated subtree. The IR holds effective values, but a generator should not have
 * to spell out cpu, image, env… for every node: a field it leaves out is filled in here the way the
 * compiler would have resolved it, from the node's parent, the graft point at the top (README "Lazy
 * subtrees"). Works on the raw JSON before decoding, so whatever is still wrong is reported by the IR
 * codec with its node path; values that are not objects are left for the decoder to name.
 */
import type { Node } from '../ir/index.ts';
import { containerFor } from '../ir/tree-rules.ts';

/** The option fields a node inherits when it leaves them out (env and secrets merge per key). */
const NEAREST = ['image', 'cpu', 'mem', 'gpu', 'requiresDocker', 'dockerRunArgs', 'maxTime', 'retry'] as const;

/** Per-node defaults of the options that are not inherited but always present in the IR. */
const LOCAL_DEFAULTS: Record<string, unknown> = { skip: false, suppressErrors: false, tags: [] };

type Raw = Record<string, unknown>;
const isObject = (u: unknown): u is Raw => typeof u === 'object' && u !== null && !Array.isArray(u);

/** What a node hands down to the nodes under it: its effective fields and its container group. */
export interface Inherited {
  /** The parent's IR fields (an IR node, or a raw one already filled). */
  fields: Readonly<Raw>;
  /** The container group the parent's Execs get (see containerFor). */
  container: string;
}

/** The graft point's inheritance: the lazy node's own fields and its generator's container group. */
export const inheritedFrom = (lazyNode: Node, container: string): Inherited => ({ fields: lazyNode as unknown as Raw, container });

/**
 * `raw` (one node of a generated subtree, at `path`) with every left-out field filled from `parent`;
 * its children recursively. A missing `kind` is "exec" when there is a command, else "serial".
 */
export function fillNode(raw: unknown, path: string, parent: Inherited): unknown {
  if (!isObject(raw)) return raw;
  const out: Raw = { ...raw };
  out.kind ??= 'command' in raw ? 'exec' : 'serial';
  const from = parent.fields;
  for (const name of NEAREST) if (out[name] === undefined && from[name] !== undefined) out[name] = from[name];
  const ownEnv = isObject(raw.env) ? raw.env : {};
  if (raw.env === undefined || isObject(raw.env)) out.env = { ...(isObject(from.env) ? from.env : {}), ...ownEnv };
  // A parent's secret is inherited unless this node sets that env var itself (nearer wins, per key).
  const secrets: Raw = {};
  if (isObject(from.secrets)) for (const [k, v] of Object.entries(from.secrets)) if (!(k in ownEnv)) secrets[k] = v;
  if (isObject(raw.secrets)) Object.assign(secrets, raw.secrets);
  else if (raw.secrets !== undefined) out.secrets = raw.secrets;
  if (raw.secrets === undefined || isObject(raw.secrets)) {
    if (Object.keys(secrets).length) out.secrets = secrets; else delete out.secrets;
  }
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) out[name] ??= value;
  if (out.kind === 'serial') out.stopOnError ??= true;
  const reuse = out.reuse === 'new' || out.reuse === 'global' ? out.reuse : undefined;
  const container = containerFor({ reuse }, path, parent.container);
  if (out.kind === 'exec') out.container ??= container;
  if (Array.isArray(raw.children)) {
    const here: Inherited = { fields: out, container };
    out.children = raw.children.map((child, i) => fillNode(child, `${path}/${isObject(child) && typeof child.name === 'string' ? child.name : `children[${i}]`}`, here));
  }
  return out;
}

/**
 * The placeholder that stands at a lazy node's graft point until its generator has run: an empty
 * Serial carrying the graft point's inherited fields (so a graft and a reset back to it line up).
 */
export function placeholderNode(lazyNode: Node, into: string, generatorPath: string): Node {
  const filled = fillNode({ kind: 'serial', name: into, children: [] }, `(placeholder)`, inheritedFrom(lazyNode, 'global')) as Raw;
  return { ...(filled as unknown as Node), placeholder: `generated when ${generatorPath} runs` } as Node;
}
