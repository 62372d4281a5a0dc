/**
 * compileSubtree(): what a TypeScript generator of a lazy node writes to $CAISSON_GRAFT_FILE. An IR
 * document like compile()'s, except that each node keeps only the options set on it: compile() writes
 * every effective value (defaults included), and a subtree made of those would inherit nothing from the
 * graft point. Left out, a field is inherited there as the compiler would (core/engine/graft-fill.ts).
 */
import { API_VERSION, type ImageSpec, type Node } from '../ir/codecs.ts';
import { DslError } from '../errors.ts';
import { ChildList } from './child-list.ts';
import type { NodeDef } from './defs.ts';
import { compile } from './compile.ts';
import { GroupBuilder, defOf, type Subtree } from './group-builder.ts';
import { image } from './image.ts';

/** Inherited IR fields a node keeps only when it sets their option itself. */
const INHERITED = ['cpu', 'mem', 'gpu', 'requiresDocker', 'dockerRunArgs', 'maxTime', 'retry'] as const;

/** A generated subtree as a lazy node's generator writes it (see the module comment). */
export interface SubtreeDocument {
  /** The IR version. */
  apiVersion: typeof API_VERSION;
  /** The subtree's name (replaced by the graft point's when grafted). */
  name: string;
  /** The images its nodes set, by name. */
  images: Record<string, ImageSpec>;
  /** The subtree's root: an IR node whose option fields are only those set on it. */
  root: Record<string, unknown>;
}

/**
 * The subtree as a lazy node's generator writes it: `JSON.stringify(compileSubtree(parallel().exec(…)))`
 * to the file named by $CAISSON_GRAFT_FILE. Options not set on a node are left out, so they are
 * inherited from the graft point.
 * @throws DslError for a value that is not a builder; what compile() throws for a bad subtree
 */
export function compileSubtree(subtree: Subtree): SubtreeDocument {
  const def = defOf(subtree, 'compileSubtree()');
  const name = subtree instanceof GroupBuilder && subtree.name !== undefined ? subtree.name : 'subtree';
  // imageName may name an image of the pipeline the subtree is grafted into (registerImage at the top):
  // compiled against a stand-in, the name is kept and resolved where it is grafted.
  const { named, defined } = imageNames(def);
  const standIns = [...named].filter((n) => !defined.has(n));
  // Compiled under a wrapper so an Exec or a detached group compiles too; the wrapper is dropped.
  const registered = standIns.map((n) => image({ ref: `caisson-graft-point/${n}`, name: n }));
  const ir = compile(new GroupBuilder({ kind: 'serial', settings: {}, children: ChildList.empty<NodeDef>().append(name, def), registered }, '/subtree', 'subtree'));
  const compiled = ir.root.kind === 'exec' ? undefined : ir.root.children[0];
  if (!compiled) throw new DslError('compileSubtree(): nothing to compile', { path: 'compileSubtree()' });
  const used = new Set<string>();
  const root = ownFields(compiled, def, used);
  const images = Object.fromEntries(Object.entries(ir.images).filter(([n]) => used.has(n) && !standIns.includes(n)));
  return { apiVersion: API_VERSION, name, images, root };
}

/** The image names the subtree's nodes point at (imageName), and those it defines itself (image, registerImage). */
function imageNames(def: NodeDef, out = { named: new Set<string>(), defined: new Set<string>() }): { named: Set<string>; defined: Set<string> } {
  if (def.settings.imageName !== undefined) out.named.add(def.settings.imageName);
  const own = def.settings.image;
  if (own !== undefined && typeof own !== 'string' && own.name !== undefined) out.defined.add(own.name);
  if (def.kind === 'exec') return out;
  for (const img of def.registered) if (img.name !== undefined) out.defined.add(img.name);
  for (let i = 0; i < def.children.length; i++) imageNames(def.children.at(i)[1], out);
  return out;
}

/** `node` with only the option fields its definition sets; image names it keeps go into `used`. */
function ownFields(node: Node, def: NodeDef, used: Set<string>): Record<string, unknown> {
  const own = def.settings;
  const out: Record<string, unknown> = { ...node };
  for (const name of INHERITED) if (own[name] === undefined) delete out[name];
  if (own.image === undefined && own.imageName === undefined) delete out.image;
  else used.add(node.image);
  const ownEnv = own.env ?? {};
  const keep = (values: Record<string, string> | undefined) => Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => k in ownEnv));
  out.env = keep(node.env);
  const secrets = keep(node.secrets);
  if (Object.keys(secrets).length) out.secrets = secrets; else delete out.secrets;
  // Worked out again where it is grafted, from the reuse settings there.
  delete out.container;
  if (node.kind !== 'exec' && def.kind !== 'exec') {
    out.children = node.children.map((child, i) => ownFields(child, def.children.at(i)[1], used));
  }
  return out;
}
