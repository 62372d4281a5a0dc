/**
 * The IR: the one contract between the DSL and everything after it (engine, stores, CLI, providers).
 * Plain, versioned JSON. Every node carries its *effective* values (inheritance already resolved by
 * the compiler), so no consumer re-derives them. One name for each codec and its type (io-ts style).
 */
import * as t from 'io-ts';
import { parseDuration } from './duration.ts';
import { taggedUnion } from './tagged-union.ts';
import { BaseReqsImage, CustomImage, DockerfileImage, GitImage, RefImage } from './image-codecs.ts';

/**
 * The `apiVersion` every IR document carries; decoding rejects any other, so a future format change is
 * detected instead of misread.
 */
export const API_VERSION = 'caisson/v1' as const;

/** A positive number (cpu, mem). */
export interface PositiveBrand { readonly Positive: unique symbol }
export const Positive = t.brand(t.number, (n): n is t.Branded<number, PositiveBrand> => Number.isFinite(n) && n > 0, 'Positive');

const isNonNegativeInt = (n: number) => Number.isInteger(n) && n >= 0;
const isPositiveInt = (n: number) => Number.isInteger(n) && n >= 1;

/** Whole number >= 0 (gpu). */
export const NonNegativeInt = new t.Type<number, number, unknown>(
  'NonNegativeInt',
  (u): u is number => typeof u === 'number' && isNonNegativeInt(u),
  (u, c) => (typeof u === 'number' && isNonNegativeInt(u) ? t.success(u) : t.failure(u, c, 'expected a whole number >= 0')),
  (n) => n,
);

/** Whole number >= 1 (maxConcurrent). */
export const PositiveInt = new t.Type<number, number, unknown>(
  'PositiveInt',
  (u): u is number => typeof u === 'number' && isPositiveInt(u),
  (u, c) => (typeof u === 'number' && isPositiveInt(u) ? t.success(u) : t.failure(u, c, 'expected a whole number >= 1')),
  (n) => n,
);

/** Number > 0 (cpu, mem in GB). */
export const PositiveNumber = new t.Type<number, number, unknown>(
  'PositiveNumber',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) && u > 0 ? t.success(u) : t.failure(u, c, 'expected a number > 0')),
  (n) => n,
);

/**
 * maxTime in seconds. The canonical IR holds a number; decoding also accepts a duration string
 * ("90s", "1h30m") so hand-written or edited IR reads naturally. Encoding always yields seconds.
 */
export const Seconds = new t.Type<number, number, unknown>(
  'Seconds',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  (u, c) => {
    if (typeof u === 'number' && Number.isFinite(u) && u > 0) return t.success(u);
    if (typeof u === 'string') {
      const s = parseDuration(u);
      if (s !== undefined && s > 0) return t.success(s);
    }
    return t.failure(u, c, 'expected seconds > 0 or a duration like "90s"');
  },
  (n) => n,
);

/** A node name: non-empty, no "/". Sibling uniqueness is checked on the tree. */
export const NodeName = new t.Type<string, string, unknown>(
  'NodeName',
  (u): u is string => typeof u === 'string' && u.length > 0 && !u.includes('/'),
  (u, c) =>
    typeof u !== 'string'
      ? t.failure(u, c, 'expected a string')
      : u.length === 0
        ? t.failure(u, c, 'must not be empty')
        : u.includes('/')
          ? t.failure(u, c, 'must not contain "/"')
          : t.success(u),
  (s) => s,
);

/** Environment variables of a node: name → value (secret values are never here, see `secrets`). */
export const Env = t.record(t.string, t.string, 'Env');
export type Env = t.TypeOf<typeof Env>;

/** Container reuse context as the user set it on this node (Conducto's container_reuse_context). */
export const Reuse = t.union([t.literal('new'), t.literal('global')], 'Reuse');
export type Reuse = t.TypeOf<typeof Reuse>;

/**
 * The command of an Exec: a shell script (already unindented, run by the image's shell as a script,
 * no implicit `set -e`) or an argv array run without a shell.
 */
export const Command = t.union([t.string, t.array(t.string)], 'Command');
export type Command = t.TypeOf<typeof Command>;

/** Fields every node carries; all hold effective (inherited + defaulted) values. */
const NodeBase = {
  name: NodeName,
  /** Key into the pipeline's `images` table. */
  image: t.string,
  env: Env,
  cpu: PositiveNumber,
  gpu: NonNegativeInt,
  /** GB of memory. */
  mem: PositiveNumber,
  requiresDocker: t.boolean,
  dockerRunArgs: t.array(t.string),
  /** Seconds before the node is killed. */
  maxTime: Seconds,
  skip: t.boolean,
  suppressErrors: t.boolean,
  tags: t.array(t.string),
};

const NodeOptional = {
  /** The reuse context as set on this node; absent = inherit. */
  reuse: Reuse,
  doc: t.string,
  title: t.string,
  /** Env vars whose values are secrets: env var name → secret name. Values are never in the IR. */
  secrets: Env,
};

/** What every node carries (effective values: inheritance already resolved by the compiler). */
interface NodeFields {
  /** The node's own name (no "/"); its path is the names from the root joined with "/". */
  name: string;
  /** Key into the pipeline's `images` table. */
  image: string;
  /** Effective environment: inherited from ancestors, overridden by this node. */
  env: Env;
  /** CPUs reserved for the node's Execs; also sizes its container. */
  cpu: number;
  /** GPUs requested (whole number). */
  gpu: number;
  /** GB of memory. */
  mem: number;
  /** Mount the host's Docker socket into the container so the command can run docker. */
  requiresDocker: boolean;
  /** Extra `docker run` flags for the container (the runtime accepts a fixed set, see SUPPORTED_RUN_ARGS). */
  dockerRunArgs: string[];
  /** Seconds before the node is killed. */
  maxTime: number;
  /** Set on this node only (not inherited): the engine passes over it and its subtree. */
  skip: boolean;
  /** Set on this node only: an error here (a failing command, or failed children) ends Done instead of Error. */
  suppressErrors: boolean;
  /** Free-form labels for tools and listings; not inherited. */
  tags: string[];
  /** The reuse context as set on this node; absent = inherit. */
  reuse?: Reuse;
  /** Markdown describing the node, for people reading the pipeline. */
  doc?: string;
  /** Human title (on the root, shown in run listings). */
  title?: string;
  /** Env var name → secret name, for env values given as secret("NAME"); absent when none. */
  secrets?: Env;
}

/** A leaf that runs one command in a container. */
export interface ExecNode extends NodeFields {
  /** Tag of the Node union. */
  kind: 'exec';
  /** What to run; see Command for script versus argv. */
  command: Command;
  /**
   * Effective container group: "global" for default reuse, or the path of the node whose
   * `reuse: "new"` owns the dedicated container this Exec runs in.
   */
  container: string;
}

/** Runs its children one after another, in order. */
export interface SerialNode extends NodeFields {
  /** Tag of the Node union. */
  kind: 'serial';
  /**
   * When a child fails: true ends the Serial in Error at once (later children stay pending);
   * false runs the rest and then reports Error.
   */
  stopOnError: boolean;
  /** Children in insertion order; names are unique among siblings. */
  children: Node[];
  /** Cap on descendant Execs running at once under this node; absent = no cap beyond resources. */
  maxConcurrent?: number;
}

/**
 * Starts all its children together, bounded by resources and maxConcurrent; a failing child does not
 * stop its siblings.
 */
export interface ParallelNode extends NodeFields {
  /** Tag of the Node union. */
  kind: 'parallel';
  /** Children; names are unique among siblings. */
  children: Node[];
  /** Cap on descendant Execs running at once under this node; absent = no cap beyond resources. */
  maxConcurrent?: number;
}

/** Any node of the pipeline tree, told apart by `kind`. */
export type Node = ExecNode | SerialNode | ParallelNode;
/** The nodes that hold children (Serial and Parallel). */
export type ContainerNode = SerialNode | ParallelNode;

export const Node: t.Type<Node, Node, unknown> = t.recursion('Node', () =>
  t.union([ExecNodeC, SerialNodeC, ParallelNodeC]),
);

const ExecNodeC: t.Type<ExecNode, ExecNode, unknown> = t.exact(
  t.intersection([
    t.type({ kind: t.literal('exec'), ...NodeBase, command: Command, container: t.string }),
    t.partial(NodeOptional),
  ]),
  'ExecNode',
) as unknown as t.Type<ExecNode, ExecNode, unknown>;

const SerialNodeC: t.Type<SerialNode, SerialNode, unknown> = t.exact(
  t.intersection([
    t.type({ kind: t.literal('serial'), ...NodeBase, stopOnError: t.boolean, children: t.array(Node) }),
    t.partial({ ...NodeOptional, maxConcurrent: PositiveInt }),
  ]),
  'SerialNode',
) as unknown as t.Type<SerialNode, SerialNode, unknown>;

const ParallelNodeC: t.Type<ParallelNode, ParallelNode, unknown> = t.exact(
  t.intersection([
    t.type({ kind: t.literal('parallel'), ...NodeBase, children: t.array(Node) }),
    t.partial({ ...NodeOptional, maxConcurrent: PositiveInt }),
  ]),
  'ParallelNode',
) as unknown as t.Type<ParallelNode, ParallelNode, unknown>;

export { ExecNodeC as ExecNodeCodec, SerialNodeC as SerialNodeCodec, ParallelNodeC as ParallelNodeCodec };

export { BaseReqsImage, CustomImage, DockerfileImage, GitImage, RefImage } from './image-codecs.ts';
export type { RequirementFields } from './image-codecs.ts';

/**
 * One codec per image kind, keyed by `kind` (see image-codecs.ts). Decoding dispatches on `kind`, so an
 * error names only the fields of the kind the document claims to be. Plugin kinds are all `custom`,
 * told apart by their `provider` field.
 */
export const IMAGE_KIND_CODECS = {
  ref: RefImage,
  'base-reqs': BaseReqsImage,
  git: GitImage,
  dockerfile: DockerfileImage,
  custom: CustomImage,
} as const;

/** Every image kind the IR knows. */
export type ImageKind = keyof typeof IMAGE_KIND_CODECS;

/** One image definition of the pipeline's `images` table, of any kind. */
export type ImageSpec = t.TypeOf<(typeof IMAGE_KIND_CODECS)[ImageKind]>;

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
  exec: {
    required: t.type({ kind: t.literal('exec'), ...NodeBase, command: Command, container: t.string }),
    optional: t.partial(NodeOptional),
  },
  serial: {
    required: t.type({ kind: t.literal('serial'), ...NodeBase, stopOnError: t.boolean, children: t.UnknownArray }),
    optional: t.partial({ ...NodeOptional, maxConcurrent: PositiveInt }),
  },
  parallel: {
    required: t.type({ kind: t.literal('parallel'), ...NodeBase, children: t.UnknownArray }),
    optional: t.partial({ ...NodeOptional, maxConcurrent: PositiveInt }),
  },
} as const;

/** The node kinds, in the order error messages list them. */
export const NODE_KINDS = ['serial', 'parallel', 'exec'] as const;
/** `serial`, `parallel` or `exec`. */
export type NodeKind = (typeof NODE_KINDS)[number];
