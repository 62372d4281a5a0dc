/**
 * A generator's output → a subtree ready to graft, validated on the host with the IR codec. Accepts a
 * whole IR document (`{ apiVersion, name, images, root }`, what `compile()` writes) or a bare node;
 * either way fields a node leaves out are inherited from the graft point (graft-fill.ts). Every problem
 * names its node path under the graft point ("/tests/shards/execute/7: cpu: …"); the limits (nodes,
 * depth, bytes) are checked before anything else is looked at.
 */
import { API_VERSION, ImageSpecCodec, type Graft, type ImageSpec, type Node } from '../ir/index.ts';
import { canonicalJson } from '../ir/canonical-json.ts';
import { decodeNode } from '../ir/decode-node.ts';
import { checkTreeRules } from '../ir/tree-rules.ts';
import { renderValue, toProblems } from '../ir/validation-errors.ts';
import type { IrProblem } from '../errors.ts';
import { fillNode, type Inherited } from './graft-fill.ts';

/** Where a subtree is grafted and what it may use. */
export interface GraftContext {
  /** The graft point's path ("/tests/shards/execute"); every problem is named under it. */
  path: string;
  /** The generator's limits (its IR `graft` field). */
  limits: Graft;
  /** What the graft point hands down. */
  inherited: Inherited;
  /** The run's images table: names a generated node may use, and definitions a document must agree with. */
  images: Readonly<Record<string, ImageSpec>>;
  /** Secret names the run read when it started: the only ones a generated node may refer to. */
  secrets: ReadonlySet<string>;
}

/** A decoded graft: the subtree (named as the graft point) and the images it adds to the run's table. */
export interface DecodedGraft {
  /** The subtree's root, renamed to the graft point's name. */
  node: Node;
  /** Images the document defines that the run's table did not have yet. */
  images: Record<string, ImageSpec>;
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const DOCUMENT_FIELDS = new Set(['apiVersion', 'name', 'images', 'root']);

/** The subtree in `text`, or the reason it cannot be grafted (one line per problem after the first). */
export function decodeGraft(text: string, ctx: GraftContext): DecodedGraft | { reason: string } {
  const fail = (problems: IrProblem[]) => ({ reason: describe(ctx.path, problems) });
  const bytes = Buffer.byteLength(text);
  if (bytes > ctx.limits.maxBytes) return fail([{ path: ctx.path, field: '', message: `the generated subtree is more than ${ctx.limits.maxBytes} bytes (maxBytes); raise the limit or generate less` }]);
  if (text.trim() === '') return fail([{ path: ctx.path, field: '', message: 'the generator wrote an empty file; write a node or an IR document as JSON' }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail([{ path: ctx.path, field: '', message: `the generated subtree is not JSON (${(e as Error).message})` }]);
  }
  const problems: IrProblem[] = [];
  let raw: unknown = value;
  const added: Record<string, ImageSpec> = {};
  if (isObject(value) && ('apiVersion' in value || 'root' in value)) {
    if (value.apiVersion !== API_VERSION) problems.push({ path: ctx.path, field: 'apiVersion', message: `expected ${JSON.stringify(API_VERSION)}, got ${renderValue(value.apiVersion)}` });
    for (const key of Object.keys(value)) if (!DOCUMENT_FIELDS.has(key)) problems.push({ path: ctx.path, field: key, message: 'unknown field of an IR document' });
    mergeImages(value.images, ctx, added, problems);
    raw = value.root;
  }
  const size = measure(raw, ctx.limits);
  if (size) return fail([{ path: ctx.path, field: '', message: size }]);
  const name = ctx.path.slice(ctx.path.lastIndexOf('/') + 1);
  const named = isObject(raw) ? { ...raw, name } : raw;
  const node = decodeNode(fillNode(named, ctx.path, ctx.inherited), ctx.path, problems);
  if (node) {
    checkTreeRules(node, ctx.path, new Set([...Object.keys(ctx.images), ...Object.keys(added)]), problems, ctx.inherited.container);
    checkSecrets(node, ctx, problems);
  }
  if (problems.length || !node) return fail(problems);
  return { node, images: added };
}

/** A document's images: new names are added, a known name must have the same definition. */
function mergeImages(raw: unknown, ctx: GraftContext, added: Record<string, ImageSpec>, problems: IrProblem[]): void {
  if (raw === undefined) return;
  if (!isObject(raw)) { problems.push({ path: ctx.path, field: 'images', message: `expected an object of image specs keyed by name, got ${renderValue(raw)}` }); return; }
  for (const [key, spec] of Object.entries(raw)) {
    const result = ImageSpecCodec.validate(spec, [{ key: '', type: ImageSpecCodec, actual: spec }]);
    if (result._tag === 'Left') { problems.push(...toProblems(result.left, ctx.path, `images.${key}`)); continue; }
    if (result.right.name !== key) { problems.push({ path: ctx.path, field: `images.${key}.name`, message: `expected the table key ${JSON.stringify(key)}, got ${renderValue(result.right.name)}` }); continue; }
    const known = ctx.images[key];
    if (known && canonicalJson(known) !== canonicalJson(result.right)) {
      problems.push({ path: ctx.path, field: `images.${key}`, message: `the pipeline already has an image named ${JSON.stringify(key)} with another definition; use it by name or give this one another name` });
    } else if (!known) {
      added[key] = result.right;
    }
  }
}

/** Why the raw tree breaks a limit (nodes, depth below the graft point), counted before decoding. */
function measure(raw: unknown, limits: Graft): string | undefined {
  let nodes = 0;
  const stack: Array<{ node: unknown; depth: number }> = [{ node: raw, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (++nodes > limits.maxNodes) return `the generated subtree has more than ${limits.maxNodes} nodes (maxNodes); raise the limit or generate less`;
    if (depth > limits.maxDepth) return `the generated subtree is more than ${limits.maxDepth} levels deep (maxDepth); raise the limit or flatten it`;
    if (isObject(node) && Array.isArray(node.children)) for (const c of node.children) stack.push({ node: c, depth: depth + 1 });
  }
  return undefined;
}

/** A generated node may only use secrets the run already read (they are read once, when it starts). */
function checkSecrets(root: Node, ctx: GraftContext, problems: IrProblem[]): void {
  const visit = (n: Node, path: string): void => {
    for (const [env, name] of Object.entries(n.secrets ?? {})) {
      if (!ctx.secrets.has(name)) problems.push({ path, field: `secrets.${env}`, message: `secret ${JSON.stringify(name)} is not one the pipeline uses; a generated node can only use secrets the pipeline refers to when it starts` });
    }
    if (n.kind !== 'exec' && Array.isArray(n.children)) for (const c of n.children) visit(c, `${path}/${c.name}`);
  };
  visit(root, ctx.path);
}

/** One reason for all problems: the first in full, then the rest, each naming its node path. */
function describe(path: string, problems: IrProblem[]): string {
  const lines = problems.map((p) => `${p.path || path}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
  return `invalid generated subtree (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${lines.join('; ')}`;
}
