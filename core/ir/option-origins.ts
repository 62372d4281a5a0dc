/**
 * Where a node's effective options came from, for the web UI's node panel: set on the node itself,
 * inherited from which ancestor, or the default. The IR holds effective values only (inheritance is
 * resolved when compiling), so this is read back from the chain of nodes: a value is taken to come from
 * the highest ancestor from which every node down to this one holds the same value (a child that sets
 * the value its parent already has shows as inheriting it, which is what it amounts to).
 */
import { OPTIONS } from '../options/index.ts';
import { NODE_OPTIONS } from '../options/node-options.ts';

/** The name of the image nobody set (the DSL's DEFAULT_IMAGE; the IR must not import the DSL). */
export const DEFAULT_IMAGE_NAME = 'caisson-default';
import type { Node } from './codecs.ts';
import { canonicalJson } from './canonical-json.ts';
import { childPath, splitPath } from './walk.ts';

/** One option of a node, with its effective value and where it came from. */
export interface OptionOrigin {
  /** The option's name (for env: `env.NAME`). */
  name: string;
  /** The effective value. */
  value: unknown;
  /** `here`, `default`, or the path of the ancestor it is inherited from. */
  from: string;
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** The nodes from the root down to `path` with their paths; undefined when `path` is not in the tree. */
function chainTo(root: Node, path: string): Array<{ node: Node; path: string }> | undefined {
  const names = splitPath(path);
  if (names[0] !== root.name) return undefined;
  const chain = [{ node: root, path: childPath('', root.name) }];
  for (const name of names.slice(1)) {
    const last = chain[chain.length - 1]!;
    const next = last.node.kind === 'exec' ? undefined : last.node.children.find((c) => c.name === name);
    if (!next) return undefined;
    chain.push({ node: next, path: childPath(last.path, name) });
  }
  return chain;
}

/** Every option field of the node at `path` with where its value came from ([] for an unknown path). */
export function optionOrigins(root: Node, path: string): OptionOrigin[] {
  const chain = chainTo(root, path);
  if (!chain) return [];
  const here = chain.length - 1;
  const field = (i: number, key: string) => (chain[i]!.node as unknown as Record<string, unknown>)[key];
  const originOf = (get: (i: number) => unknown, fallback: unknown, inherited: boolean): string => {
    const value = get(here);
    let top = here;
    if (inherited) while (top > 0 && same(get(top - 1), value)) top--;
    if ((top === 0 || !inherited) && fallback !== undefined && same(value, fallback)) return 'default';
    return top === here ? 'here' : chain[top]!.path;
  };
  const out: OptionOrigin[] = [];
  const kind = chain[here]!.node.kind;
  const table = NODE_OPTIONS as unknown as Record<string, { inherit: string; top?: unknown; kinds: readonly string[] }>;
  for (const name of Object.keys(OPTIONS.irProps(kind).required).concat(Object.keys(OPTIONS.irProps(kind).optional))) {
    const entry = table[name];
    const value = field(here, name);
    if (value === undefined || !entry) continue;
    if (name === 'env') {
      for (const [key, v] of Object.entries(value as Record<string, string>)) {
        out.push({ name: `env.${key}`, value: v, from: originOf((i) => (field(i, 'env') as Record<string, string> | undefined)?.[key], undefined, true) });
      }
      continue;
    }
    // The image nobody set is the table's default entry (see DEFAULT_IMAGE).
    const fallback = name === 'image' ? DEFAULT_IMAGE_NAME : entry.top;
    out.push({ name, value, from: originOf((i) => field(i, name), fallback, entry.inherit !== 'none') });
  }
  return out;
}
