/**
 * compile(): a pipeline builder → PipelineIR. Resolves inheritance once (Conducto §1.6): the nearest
 * ancestor-or-self value for image/cpu/gpu/mem/requiresDocker/dockerRunArgs/maxTime, env merged per
 * key, the rest per node; works out each Exec's container group (§3.2); builds the images table.
 * Objects are built with their keys in sorted order so the output is canonical as it stands.
 */
import { API_VERSION, type ExecNode, type Node, type ParallelNode, type PipelineIR, type SerialNode } from '../ir/codecs.ts';
import { containerFor } from '../ir/tree-rules.ts';
import { DslError } from '../errors.ts';
import type { NodeDef } from './defs.ts';
import { GroupBuilder } from './group-builder.ts';
import { DEFAULT_IMAGE, image as makeImage } from './image.ts';
import { ImageTable } from './image-table.ts';
import { expandPathMarks } from './image-paths.ts';
import { isSecret, type SecretRef } from './secret.ts';
import { parseRunArgs } from '../runtime/parse-run-args.ts';

/** System defaults (Conducto): cpu 1, gpu 0, mem 2 GB, maxTime 4h. */
export const DEFAULTS = { cpu: 1, gpu: 0, mem: 2, requiresDocker: false, dockerRunArgs: [] as string[], maxTime: 4 * 3600 } as const;

/** The values a node passes down to its children while compiling (the effective ones at that node). */
interface Inherited {
  image: string;
  env: Readonly<Record<string, string | SecretRef>>;
  cpu: number;
  gpu: number;
  mem: number;
  requiresDocker: boolean;
  dockerRunArgs: readonly string[];
  maxTime: number;
  container: string;
}

/** Splits the effective env into plain values and secret references (env var → secret name), keys sorted. */
const splitEnv = (env: Readonly<Record<string, string | SecretRef>>): { env: Record<string, string>; secrets: Record<string, string> } => {
  const plain: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) {
    const value = env[key]!;
    if (isSecret(value)) secrets[key] = value.name;
    else plain[key] = value;
  }
  return { env: plain, secrets };
};

/** Pass 1: every image set or registered anywhere, in tree order, so imageName can point anywhere. */
function collectImages(def: NodeDef, at: string, table: ImageTable): void {
  if (def.kind !== 'exec') for (const img of def.registered) table.add(img, at);
  if (def.settings.image) table.add(def.settings.image, at);
  if (def.kind === 'exec') return;
  for (let i = 0; i < def.children.length; i++) {
    const [name, child] = def.children.at(i);
    collectImages(child, `${at}/${name}`, table);
  }
}

function imageOf(def: NodeDef, at: string, table: ImageTable, inherited: string): string {
  const { image, imageName } = def.settings;
  if (image) return table.add(image, at);
  if (imageName === undefined) return inherited;
  if (!table.has(imageName)) {
    const known = table.names().filter((n) => n !== DEFAULT_IMAGE.name);
    throw new DslError(`${at}: imageName: no image named "${imageName}" in this pipeline (known: ${known.length ? known.join(', ') : 'none'}); register it with registerImage(image({ ref, name })) or set image instead`);
  }
  return imageName;
}

function compileNode(def: NodeDef, name: string, at: string, parent: Inherited, table: ImageTable): Node {
  const s = def.settings;
  // Checked where they are set, so the message names that node; descendants inherit them checked.
  if (s.dockerRunArgs) parseRunArgs(s.dockerRunArgs, (m) => { throw new DslError(`${at}: dockerRunArgs: ${m}`); });
  const own: Inherited = {
    image: imageOf(def, at, table, parent.image),
    env: s.env ? { ...parent.env, ...s.env } : parent.env,
    cpu: s.cpu ?? parent.cpu,
    gpu: s.gpu ?? parent.gpu,
    mem: s.mem ?? parent.mem,
    requiresDocker: s.requiresDocker ?? parent.requiresDocker,
    dockerRunArgs: s.dockerRunArgs ?? parent.dockerRunArgs,
    maxTime: s.maxTime ?? parent.maxTime,
    container: containerFor(s, at, parent.container),
  };
  // Keys in sorted order (see the module comment); optional keys only when set.
  const node: Record<string, unknown> = {};
  if (def.kind !== 'exec') {
    const children: Node[] = new Array(def.children.length);
    for (let i = 0; i < def.children.length; i++) {
      const [childName, child] = def.children.at(i);
      children[i] = compileNode(child, childName, `${at}/${childName}`, own, table);
    }
    node.children = children;
  } else {
    // relpath() marks become in-container paths here, where the node's effective image is known (§2.9).
    node.command = expandPathMarks(typeof def.command === 'string' ? def.command : [...def.command], table.spec(own.image), at);
    node.container = own.container;
  }
  node.cpu = own.cpu;
  node.dockerRunArgs = [...own.dockerRunArgs];
  if (s.doc !== undefined) node.doc = s.doc;
  const { env, secrets } = splitEnv(own.env);
  node.env = env;
  node.gpu = own.gpu;
  node.image = own.image;
  node.kind = def.kind;
  if (def.kind !== 'exec' && s.maxConcurrent !== undefined) node.maxConcurrent = s.maxConcurrent;
  node.maxTime = own.maxTime;
  node.mem = own.mem;
  node.name = name;
  node.requiresDocker = own.requiresDocker;
  if (s.reuse !== undefined) node.reuse = s.reuse;
  // Only the references: values are read when the command runs (core/secrets).
  if (Object.keys(secrets).length > 0) node.secrets = secrets;
  node.skip = s.skip ?? false;
  if (def.kind === 'serial') node.stopOnError = s.stopOnError ?? true;
  node.suppressErrors = s.suppressErrors ?? false;
  node.tags = s.tags ? [...s.tags] : [];
  if (s.title !== undefined) node.title = s.title;
  return node as unknown as ExecNode | SerialNode | ParallelNode;
}

/**
 * Compiles a pipeline builder (made by `pipeline()`) into its IR: plain, canonical JSON data.
 * @throws DslError for an unknown imageName or a builder that is not a pipeline root;
 *   ImageConflictError for two different images under one name.
 */
export function compile(builder: GroupBuilder): PipelineIR {
  if (!(builder instanceof GroupBuilder)) throw new DslError('compile(): expected a pipeline builder made by pipeline(name, ...)');
  const name = builder.name;
  if (name === undefined) throw new DslError(`compile(): ${builder.where} has no name; wrap it with pipeline(name, subtree) first`);
  const at = `/${name}`;
  const table = new ImageTable();
  collectImages(builder.def, at, table);
  const { image, imageName } = builder.def.settings;
  const rootImage = image || imageName !== undefined ? '' : table.add(makeImage({ ref: DEFAULT_IMAGE.ref, name: DEFAULT_IMAGE.name }), at);
  const top: Inherited = { ...DEFAULTS, image: rootImage, env: {}, container: 'global' };
  const root = compileNode(builder.def, name, at, top, table);
  return { apiVersion: API_VERSION, images: table.toRecord(), name, root };
}
