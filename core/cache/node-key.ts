/**
 * The key of one cached Exec, from the IR node and what the run knows: the resolved image, the secret
 * values, the runner's environment, the pipeline folder and the keys of the Execs before it. The engine
 * and `caisson run --dry-run` both compute it here, so a prediction cannot disagree with the run.
 *
 * Upstream rule: an Exec's key includes the key of every cached Exec that comes before it in a Serial
 * ancestor (all cached Execs in the subtrees of its earlier siblings, at every level up), since those
 * ran first and may have left what it reads (a reused container's files, a mounted folder). Parallel
 * siblings never count (they run beside it), nor do uncached Execs (they have no key: declare what
 * they produce as `inputs`, or cache them too), nor skipped ones that never got a key.
 */
import type { ExecNode, Node } from '../ir/index.ts';
import { childPath } from '../ir/walk.ts';
import type { CachePolicy } from '../options/cache-option.ts';
import { cacheManifest, saltedHash, type CacheManifest } from './cache-key.ts';
import { hashInputs } from './input-files.ts';

/** The image an Exec runs in, as the run resolved it. */
export interface KeyImage { ref: string; id?: string; shell?: string; workdir?: string }

/** What a node's key needs besides the node itself. */
export interface NodeKeyContext {
  /** The resolved image. */
  image: KeyImage;
  /** A secret's value by secret name (undefined: not set). */
  secretValue(name: string): string | undefined;
  /** The store's salt for hashing secret and runner env values. */
  salt: string;
  /** The pipeline folder: `inputs` patterns are relative to it. */
  baseDir: string;
  /** The runner's environment (for cache.env). */
  runnerEnv: Readonly<Record<string, string | undefined>>;
  /** Upstream cached Exec path → its key (see upstreamPaths). */
  upstream: Readonly<Record<string, string>>;
  /** Further key components (the seam for artifacts' input hashes). */
  extra?: Readonly<Record<string, unknown>>;
}

/**
 * The node's cache policy, or undefined when it is not cached. Never for a native call (its key would
 * need the bundle's content, not a command) or a lazy node's generator (a hit would graft nothing), even
 * when `cache` is inherited onto them.
 */
export const cachePolicyOf = (ir: ExecNode): CachePolicy | undefined =>
  ir.call || ir.graft ? undefined : (ir as ExecNode & { cache?: CachePolicy }).cache;

/** The manifest (with the key) of the cached Exec `ir` at `path`. */
export function nodeManifest(path: string, ir: ExecNode, ctx: NodeKeyContext): CacheManifest {
  const policy = cachePolicyOf(ir) ?? {};
  const secrets: Record<string, { name: string; hash?: string }> = {};
  for (const [variable, name] of Object.entries(ir.secrets ?? {})) {
    if (Object.hasOwn(ir.env, variable)) continue; // a plain value (an edit) wins over the secret, as the command sees it
    const value = ctx.secretValue(name);
    secrets[variable] = { name, ...(value !== undefined ? { hash: saltedHash(ctx.salt, value) } : {}) };
  }
  const runnerEnv: Record<string, string | undefined> = {};
  for (const name of policy.env ?? []) {
    const value = ctx.runnerEnv[name];
    runnerEnv[name] = value === undefined ? undefined : saltedHash(ctx.salt, value);
  }
  return cacheManifest(path, {
    image: ctx.image.id ?? ctx.image.ref,
    command: ir.command ?? '', // every cached Exec has one: cachePolicyOf excludes native calls
    ...(ctx.image.shell ? { shell: ctx.image.shell } : {}),
    ...(ctx.image.workdir ? { workdir: ctx.image.workdir } : {}),
    dockerRunArgs: ir.dockerRunArgs,
    env: ir.env,
    secrets,
    runnerEnv,
    inputs: policy.inputs?.length ? hashInputs(ctx.baseDir, policy.inputs) : {},
    upstream: ctx.upstream,
    ...(ctx.extra ? { extra: ctx.extra } : {}),
  });
}

/** The paths of the cached Execs before `path` in its Serial ancestors, in tree order (see the module comment). */
export function upstreamPaths(root: Node, path: string): string[] {
  const out: string[] = [];
  const collect = (n: Node, at: string): void => {
    if (n.kind === 'exec') { if (cachePolicyOf(n)) out.push(at); return; }
    for (const c of n.children) collect(c, childPath(at, c.name));
  };
  const names = path.split('/').filter(Boolean);
  let node: Node = root;
  let at = childPath('', root.name);
  for (const name of names.slice(1)) {
    if (node.kind === 'exec') break;
    const i = node.children.findIndex((c) => c.name === name);
    if (i < 0) break;
    if (node.kind === 'serial') for (const c of node.children.slice(0, i)) collect(c, childPath(at, c.name));
    node = node.children[i]!;
    at = childPath(at, name);
  }
  return out;
}
