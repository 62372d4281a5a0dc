/**
 * The IR: the one contract between the DSL and everything after it (engine, stores, CLI, providers).
 * Plain, versioned JSON. Every node carries its *effective* values (inheritance already resolved by
 * the compiler), so no consumer re-derives them. One name for each codec and its type (io-ts style).
 */
import * as t from 'io-ts';
import { OPTIONS } from '../options/index.ts';
import type { NodeKind } from '../options/kinds.ts';
import { Env, NodeName, PositiveInt, Text } from '../options/rules.ts';
import { taggedUnion } from './tagged-union.ts';
import { BaseReqsImage, CustomImage, DockerfileImage, GitImage, RefImage } from './image-codecs.ts';
import { ServiceList } from './service-codecs.ts';
import { HookList } from './hook-codecs.ts';

/**
 * The `apiVersion` every IR document carries; decoding rejects any other, so a future format change is
 * detected instead of misread.
 */
export const API_VERSION = 'caisson/v1' as const;

export { Env, NodeName, Reuse, Seconds } from '../options/rules.ts';

/**
 * A lazy node's generator (README "Lazy subtrees"): the sibling its subtree is grafted at, and the
 * limits the generated subtree must keep (nodes, depth below the graft point, bytes of JSON).
 */
export const Graft = t.exact(t.type({ into: NodeName, maxNodes: PositiveInt, maxDepth: PositiveInt, maxBytes: PositiveInt }), 'Graft');
export type Graft = t.TypeOf<typeof Graft>;

/** Default limits of a generated subtree: nodes (its root included), levels below the graft point, bytes of JSON. */
export const DEFAULT_GRAFT_LIMITS = { maxNodes: 10_000, maxDepth: 32, maxBytes: 16 * 1024 * 1024 } as const;

/**
 * The command of an Exec: a shell script (already unindented, run by the image's shell as a script,
 * no implicit `set -e`) or an argv array run without a shell.
 */
export const Command = t.union([t.string, t.array(t.string)], 'Command');
export type Command = t.TypeOf<typeof Command>;

/**
 * The fields of one node kind. The option fields come from the option table (core/options/node-options.ts:
 * on every node of the option's kinds, or only when set; each holds the node's *effective* value). The
 * rest is the node's structure, below.
 */
function fieldsOf<K extends NodeKind, R extends t.Props, O extends t.Props = Record<never, never>>(kind: K, structure: R, optionalStructure?: O) {
  const options = OPTIONS.irProps(kind);
  return {
    required: {
      /** Tag of the Node union. */
      kind: t.literal(kind),
      /** The node's own name; its path is the names from the root joined with "/". */
      name: NodeName,
      ...structure,
      ...options.required,
    },
    optional: {
      /** Env vars whose values are secrets: env var name → secret name, for values given as secret("NAME"). Values are never in the IR. */
      secrets: Env,
      /** The node's effective hooks (hook-codecs.ts): its own and inherited ones; only when there are some. */
      hooks: HookList,
      ...(optionalStructure as O),
      ...options.optional,
    },
  };
}

/**
 * A native function call (exec(name, fn, ...args)): which module (its path relative to the pipeline
 * file's folder, with its content address when compiled), which export, and the arguments as tagged JSON
 * (core/native/tagged-json.ts).
 */
export const NativeCall = t.exact(t.type({
  /** The module file, relative to the pipeline file's folder, with "/" separators. */
  module: t.string,
  /** sha256 of the module file's content when the tree was compiled (its content address). */
  sha256: t.string,
  /** The export holding the function. */
  export: t.string,
  /** The arguments, tagged JSON. */
  args: t.UnknownArray,
}), 'NativeCall');
export type NativeCall = t.TypeOf<typeof NativeCall>;

const EXEC_FIELDS = fieldsOf('exec', {
  /**
   * Effective container group (the reuse option, docs/conducto-semantics.md#container-reuse): "global" for
   * default reuse, or the path of the node whose `reuse: "new"` owns the dedicated container this Exec runs
   * in.
   */
  container: Text,
}, {
  /** A lazy node's generator: after it exits 0, the subtree it wrote is grafted at its sibling `graft.into` (see Graft). */
  graft: Graft,
});
/** A group's services (service-codecs.ts): only on groups that declare some. */
const GROUP_OPTIONAL = { services: ServiceList };
const SERIAL = fieldsOf('serial', {}, {
  ...GROUP_OPTIONAL,
  /** An ungrafted lazy subtree: the text says which generator fills it in; a graft replaces the node (see Graft). */
  placeholder: Text,
});
/** An Exec has exactly one of `command` and `call` (checked with the tree rules). */
const EXEC = {
  required: EXEC_FIELDS.required,
  optional: {
    /** What to run; see Command for script versus argv. */
    command: Command,
    /** A native function to call instead of a command. */
    call: NativeCall,
    ...EXEC_FIELDS.optional,
  },
};
const PARALLEL = fieldsOf('parallel', {}, GROUP_OPTIONAL);

/** A leaf that runs one command in a container. */
export const ExecNode = t.exact(t.intersection([t.type(EXEC.required), t.partial(EXEC.optional)]), 'ExecNode');
export type ExecNode = t.TypeOf<typeof ExecNode>;

const SerialFields = t.intersection([t.type(SERIAL.required), t.partial(SERIAL.optional)]);
const ParallelFields = t.intersection([t.type(PARALLEL.required), t.partial(PARALLEL.optional)]);

/**
 * Runs its children one after another, in order; when one fails, `stopOnError` ends the Serial at once
 * (later children stay pending) or lets the rest run and then reports Error.
 */
export interface SerialNode extends t.TypeOf<typeof SerialFields> {
  /** Children in insertion order; names are unique among siblings. */
  children: Node[];
}

/**
 * Starts all its children together, bounded by resources and maxConcurrent; a failing child does not
 * stop its siblings.
 */
export interface ParallelNode extends t.TypeOf<typeof ParallelFields> {
  /** Children; names are unique among siblings. */
  children: Node[];
}

/** Any node of the pipeline tree, told apart by `kind`. */
export type Node = ExecNode | SerialNode | ParallelNode;
/** The nodes that hold children (Serial and Parallel). */
export type ContainerNode = SerialNode | ParallelNode;

/** Codec of SerialNode. */
export const SerialNode: t.Type<SerialNode> = t.recursion('SerialNode', () => t.exact(t.intersection([SerialFields, t.type({ children: t.array(Node) })])));
/** Codec of ParallelNode. */
export const ParallelNode: t.Type<ParallelNode> = t.recursion('ParallelNode', () => t.exact(t.intersection([ParallelFields, t.type({ children: t.array(Node) })])));
/** Codec of Node (see decodePipeline for decoding with node paths in the messages). */
export const Node: t.Type<Node> = t.recursion('Node', () => t.union([ExecNode, SerialNode, ParallelNode]));

export { BaseReqsImage, CustomImage, DockerfileImage, GitImage, RefImage } from './image-codecs.ts';
export type { RequirementFields } from './image-codecs.ts';

/**
 * One codec per image kind, keyed by `kind` (see image-codecs.ts). Decoding dispatches on `kind`, so an
 * error names only the fields of the kind the document claims to be. Plugin kinds are all `custom`,
 * told apart by their `provider` field (their params are checked by their module, core/image/kind.ts).
 */
export const IMAGE_KIND_CODECS = {
  ref: RefImage,
  'base-reqs': BaseReqsImage,
  git: GitImage,
  dockerfile: DockerfileImage,
  custom: CustomImage,
} as const;

/** Every value of an image spec's `kind` the IR knows (a plugin's kinds are all "custom"). */
export type ImageSpecKind = keyof typeof IMAGE_KIND_CODECS;

/** One image definition of the pipeline's `images` table, of any kind. */
export type ImageSpec = t.TypeOf<(typeof IMAGE_KIND_CODECS)[ImageSpecKind]>;

/** The image union, tagged on `kind` (see IMAGE_KIND_CODECS). */
export const ImageSpec: t.Type<ImageSpec, ImageSpec, unknown> = taggedUnion('ImageSpec', IMAGE_KIND_CODECS);

/**
 * Codec of a whole pipeline document: version, root name, images table (name → definition) and the node
 * tree. Decode untrusted JSON with decodePipeline, which reports every problem with its node path.
 */
export const PipelineIR = t.exact(
  t.type({ apiVersion: t.literal(API_VERSION), name: NodeName, images: t.record(t.string, ImageSpec), root: Node }),
  'PipelineIR',
);
export type PipelineIR = t.TypeOf<typeof PipelineIR>;

/**
 * Shallow codecs: one node's own fields without descending into `children` (kept as an unknown
 * array). decodePipeline walks the tree itself with these so every problem gets an exact node path
 * and errors from union members that do not match the node's `kind` never appear.
 */
export const NodeFieldCodecs = {
  exec: { required: t.type(EXEC.required), optional: t.partial(EXEC.optional) },
  serial: { required: t.type({ ...SERIAL.required, children: t.UnknownArray }), optional: t.partial(SERIAL.optional) },
  parallel: { required: t.type({ ...PARALLEL.required, children: t.UnknownArray }), optional: t.partial(PARALLEL.optional) },
} as const;

/** Every key a node of each kind may have, sorted: the order compile() writes them in (canonical JSON). */
export const NODE_KEY_ORDER: Readonly<Record<NodeKind, readonly string[]>> = {
  exec: keysOf(NodeFieldCodecs.exec),
  serial: keysOf(NodeFieldCodecs.serial),
  parallel: keysOf(NodeFieldCodecs.parallel),
};
function keysOf(codecs: { required: t.InterfaceType<t.Props>; optional: t.PartialType<t.Props> }): string[] {
  return [...Object.keys(codecs.required.props), ...Object.keys(codecs.optional.props)].sort();
}

export { NODE_KINDS, type NodeKind } from '../options/kinds.ts';
