/**
 * compile(): a pipeline builder → PipelineIR. Resolves inheritance once
 * (docs/conducto-semantics.md#inheritance) with the option table's loop (core/options): each option's
 * effective value from the node's own setting and its parent's, written into the node's IR fields; works
 * out each Exec's container group (its #container-reuse section: the reuse option's effective value);
 * builds the images table. Each node is built with its keys in sorted order (NODE_KEY_ORDER), so the output
 * is canonical as it stands.
 */
import { API_VERSION, NODE_KEY_ORDER, type Node, type PipelineIR } from '../ir/codecs.ts';
import { OPTIONS, secretRefs, type Effective } from '../options/index.ts';
import { DslError, type IrProblem } from '../errors.ts';
import { checkInputOrder } from '../artifacts/input-order.ts';
import type { NodeDef } from './defs.ts';
import { GroupBuilder } from './group-builder.ts';
import { ImageTable } from './image-table.ts';
import { expandPathMarks } from './image-paths.ts';
import { sortKeysDeep } from '../ir/canonical-json.ts';
import type { HookSpec } from '../ir/hook-codecs.ts';
import { parseRunArgs } from '../runtime/parse-run-args.ts';
import { compileCall, type CallContext } from './native-call.ts';

/** System defaults (Conducto): cpu 1, gpu 0, mem 2 GB, maxTime 4h; from the option table. */
export const DEFAULTS = {
  cpu: OPTIONS.top.cpu,
  gpu: OPTIONS.top.gpu,
  mem: OPTIONS.top.mem,
  requiresDocker: OPTIONS.top.requiresDocker,
  dockerRunArgs: OPTIONS.top.dockerRunArgs,
  maxTime: OPTIONS.top.maxTime,
} as const;

/** Pass 1: every image set or registered anywhere, in tree order, so imageName can point anywhere. */
function collectImages(def: NodeDef, at: string, table: ImageTable): void {
  if (def.kind !== 'exec') for (const img of def.registered) table.add(img, at);
  if (def.kind !== 'exec') for (const svc of def.services ?? []) if (svc.image) table.add(svc.image, `${at}/${svc.name}`);
  if (def.settings.image) table.add(def.settings.image, at);
  if (def.kind === 'exec') return;
  for (let i = 0; i < def.children.length; i++) {
    const [name, child] = def.children.at(i);
    collectImages(child, `${at}/${name}`, table);
  }
}

function compileNode(def: NodeDef, name: string, at: string, parent: Effective, table: ImageTable, ctx: CallContext, inheritedHooks: readonly HookSpec[] = []): Node {
  const own = def.settings;
  // Effective hooks: those ancestors pass down, then the node's own (inherited ones go on down).
  const ownHooks = (def.hooks ?? []).map((h): HookSpec => ({ from: at, hook: sortKeysDeep(h.hook), inherited: h.inherited, on: h.on }));
  const allHooks = [...inheritedHooks, ...ownHooks];
  const hooks = allHooks.length ? allHooks : undefined;
  const downHooks = [...inheritedHooks, ...ownHooks.filter((h) => h.inherited)];
  // Checked where they are set, so the message names that node; descendants inherit them checked.
  if (own.dockerRunArgs) parseRunArgs(own.dockerRunArgs, (m) => { throw new DslError(`${at}: dockerRunArgs: ${m}`, { path: at, option: 'dockerRunArgs' }); });
  const scope = { at, own, images: table };
  const effective = OPTIONS.effective(own, parent, scope);
  // Only the references: values are read when the command runs (core/secrets).
  const secrets = secretRefs(effective.env);
  if (def.kind === 'exec') {
    // relpath() marks become in-container paths here, where the node's effective image is known (docs/conducto-semantics.md#host-paths).
    if (def.call) {
      const call = compileCall(def.call, at, ctx);
      return OPTIONS.node('exec', NODE_KEY_ORDER.exec, { name, secrets, call, container: effective.reuse, graft: def.graft, hooks }, own, effective, scope);
    }
    const command = expandPathMarks(typeof def.command === 'string' ? def.command : [...def.command!], table.spec(effective.image), at);
    return OPTIONS.node('exec', NODE_KEY_ORDER.exec, { name, secrets, command, container: effective.reuse, graft: def.graft, hooks }, own, effective, scope);
  }
  const children: Node[] = new Array(def.children.length);
  for (let i = 0; i < def.children.length; i++) {
    const [childName, child] = def.children.at(i);
    children[i] = compileNode(child, childName, `${at}/${childName}`, effective, table, ctx, downHooks);
  }
  // The same text the engine gives the placeholder when a reset takes a graft back (core/engine/graft-fill.ts).
  const placeholder = def.placeholderFor === undefined ? undefined : `generated when ${at.slice(0, at.lastIndexOf('/'))}/${def.placeholderFor} runs`;
  // A service without an image of its own runs in the group's.
  const services = def.services?.length
    ? def.services.map((svc) => sortKeysDeep({ name: svc.name, image: svc.image ? table.add(svc.image, `${at}/${svc.name}`) : effective.image, ...svc.spec }))
    : undefined;
  return def.kind === 'serial'
    ? OPTIONS.node('serial', NODE_KEY_ORDER.serial, { name, secrets, children, placeholder, services, hooks }, own, effective, scope)
    : OPTIONS.node('parallel', NODE_KEY_ORDER.parallel, { name, secrets, children, services, hooks }, own, effective, scope);
}

/** Options of compile(). */
export interface CompileOptions {
  /**
   * The folder native calls' module paths are written relative to: the pipeline file's (the caisson CLI
   * passes it). Default: the current working directory.
   */
  baseDir?: string;
}

/**
 * Compiles a pipeline builder (made by `pipeline()`) into its IR: plain, canonical JSON data.
 * @throws DslError for an unknown imageName or a builder that is not a pipeline root;
 *   ImageConflictError for two different images under one name.
 */
export function compile(builder: GroupBuilder, options: CompileOptions = {}): PipelineIR {
  if (!(builder instanceof GroupBuilder)) throw new DslError('compile(): expected a pipeline builder made by pipeline(name, ...)', { path: 'compile()' });
  const name = builder.name;
  if (name === undefined) throw new DslError(`compile(): ${builder.where} has no name; wrap it with pipeline(name, subtree) first`, { path: builder.where });
  const at = `/${name}`;
  const table = new ImageTable();
  collectImages(builder.def, at, table);
  const root = compileNode(builder.def, name, at, OPTIONS.top, table, { baseDir: options.baseDir ?? process.cwd() });
  checkServiceNames(root, at, new Map());
  // Inputs name other nodes: checked once the whole tree is known.
  const problems: IrProblem[] = [];
  checkInputOrder(root, at, problems);
  const first = problems[0];
  if (first) throw new DslError(`${first.path}: ${first.field}: ${first.message}`, { path: first.path, option: 'inputs' });
  return { apiVersion: API_VERSION, images: table.toRecord(), name, root };
}

/** Services share the run's network, where a name is one host: two services of one name anywhere clash. */
function checkServiceNames(node: Node, at: string, seen: Map<string, string>): void {
  if (node.kind === 'exec') return;
  for (const svc of node.services ?? []) {
    const here = `${at}/${svc.name}`;
    const other = seen.get(svc.name);
    if (other) throw new DslError(`${here}: a service named "${svc.name}" is already declared at ${other}; services share the run's network, where the name is their host name, so service names must be unique in a pipeline`, { path: here });
    seen.set(svc.name, here);
  }
  for (const child of node.children) checkServiceNames(child, `${at}/${child.name}`, seen);
}
