/**
 * Node options (docs/conducto-semantics.md#node-options) as users write them. The option table
 * (core/options/node-options.ts) defines them; these types are declared by hand so editors show each
 * field's doc (TypeScript drops JSDoc through mapped types), and the checks at the end make tsc refuse any
 * drift from the table. Every value is validated when set, with a DslError naming the node path and the
 * option.
 */
import type { UserOptions } from '../options/index.ts';
import type { RetryOptions } from '../options/retry-option.ts';
import type { CacheOptions } from '../options/cache-option.ts';
import type { InputSpec } from '../options/artifact-options.ts';
import type { Reuse } from '../options/rules.ts';
import type { Image } from './image.ts';
import type { SecretRef } from './secret.ts';

/** Options every node accepts. Inherited ones flow to descendants until one sets its own. */
export interface NodeOptions {
  /**
   * Environment variables; merged per key down the tree, nearer nodes win. Values are strings, or
   * `secret("NAME")` for a value read at run time and never stored.
   */
  env?: Record<string, string | SecretRef>;
  /** Image for this node and its descendants: a Docker reference ("node:20") or an `image()` value. */
  image?: string | Image;
  /** Use an image registered in this pipeline (`registerImage`, or set as `image` elsewhere) by its name. */
  imageName?: string;
  /** CPUs reserved for each Exec (> 0; fractions allowed). Inherited; default 1. */
  cpu?: number;
  /** GPUs (whole number >= 0). Inherited; default 0. */
  gpu?: number;
  /** Memory in GB reserved for each Exec (> 0). Inherited; default 2. */
  mem?: number;
  /** Mount the host Docker socket so commands can run `docker`. Inherited; default false. */
  requiresDocker?: boolean;
  /**
   * Extra `docker run` flags: one string (shell-split) or a list. Checked when the pipeline compiles:
   * flags Caisson owns (`--cpus`, `--memory`, `--network`, `--rm`, …) are refused, saying what to use
   * instead (core/runtime/run-arg-flags.ts). Inherited; default none.
   */
  dockerRunArgs?: string | string[];
  /** Pass over this node and its subtree when running. Not inherited (the engine skips the subtree). */
  skip?: boolean;
  /** When this node would end in error, end it done instead. Not inherited. */
  suppressErrors?: boolean;
  /** Kill the node after this long: seconds, or a duration like "90s", "1h30m". Inherited; default 4h. */
  maxTime?: number | string;
  /**
   * Try a failing Exec again: a number of attempts (total tries), or `{ attempts, backoff, budget,
   * rules }`. Inherited (a nearer `retry` replaces the whole policy). Default: infra failures (daemon
   * gone, container create/start failed, image missing) get 3 attempts, everything else fails at once.
   */
  retry?: number | RetryOptions;
  /**
   * Reuse an Exec's earlier successful result (exit 0: its output, no container) when its key is
   * unchanged: image id, command, env (secrets by a hash of the value), workdir, the content of the
   * `inputs` files, `env` variables of the runner and the keys of cached Execs before it in a Serial.
   * `true`, or `{ inputs, env, ttl }`; `false` turns an inherited cache off. Inherited; default off.
   */
  cache?: boolean | CacheOptions;
  /**
   * Container reuse (docs/conducto-semantics.md#container-reuse): "new" = every Exec below shares one fresh container, run one at a
   * time; "global" = back to default reuse; unset = inherit.
   */
  reuse?: Reuse;
  /** Markdown describing the node. Not inherited. */
  doc?: string;
  /** Tags (one string or a list). Not inherited. */
  tags?: string | string[];
  /** A title (shown for the root in run listings). Not inherited. */
  title?: string;
}

/** Options of an Exec node. */
export interface ExecOptions extends NodeOptions {
  /**
   * Files this Exec produces (declared artifacts): paths or globs relative to its working dir
   * ("dist", "reports/*.xml"); a glob starts with a directory. Copied out when the command ends done
   * and kept in the run record. Not inherited.
   */
  outputs?: string | string[];
  /**
   * Outputs of earlier nodes copied in before the command runs: `{ from: "/ci/build", output?: "dist",
   * to?: "." }`, or just the producer's path (all its outputs, landing in the working dir). The producer
   * must finish before this node starts (an earlier child of a Serial ancestor). Not inherited.
   */
  inputs?: string | InputSpec | (string | InputSpec)[];
}

/** Options of a Parallel node. */
export interface ParallelOptions extends NodeOptions {
  /** At most this many descendant Execs run at once (whole number >= 1). Not inherited. */
  maxConcurrent?: number;
}

/** Options of a Serial node. */
export interface SerialOptions extends ParallelOptions {
  /** Default true: stop at the first failing child, leaving the rest pending. False: run all, then fail. */
  stopOnError?: boolean;
}

/** Options of `pipeline()`: a Serial root unless `parallel: true`. */
export interface PipelineOptions extends SerialOptions {
  /** Make the root a Parallel instead of a Serial (then `stopOnError` is not allowed). */
  parallel?: boolean;
}

/** Limits on what a lazy node's generator may produce (README "Lazy subtrees"); each has a default. */
export interface LazyLimits {
  /** Most nodes in the generated subtree, its root included (whole number >= 1). Default 10,000. */
  nodes?: number;
  /** Most levels below the graft point (whole number >= 1). Default 32. */
  depth?: number;
  /** Most bytes of JSON the generator may write (whole number >= 1). Default 16 MB. */
  bytes?: number;
}

/**
 * Options of `lazyCommand()`: node options of the lazy node (inherited by its generator and the
 * generated nodes as usual) and the limits of the generated subtree.
 */
export interface LazyOptions extends NodeOptions {
  /** Limits on the generated subtree (nodes, depth, bytes). */
  limits?: LazyLimits;
}

export type { NodeSettings } from '../options/index.ts';

/** True when A and B are the same type, not merely assignable to each other. */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;
/** Compiles only when T is true. */
type Holds<T extends true> = T;

// The declared types must say exactly what the option table says, per node kind.
type _NodeOptions = Holds<Equal<NodeOptions, UserOptions<'exec' | 'serial' | 'parallel'>>>;
type _ExecOptions = Holds<Equal<ExecOptions, UserOptions<'exec'>>>;
type _ParallelOptions = Holds<Equal<ParallelOptions, UserOptions<'parallel'>>>;
type _SerialOptions = Holds<Equal<SerialOptions, UserOptions<'serial'>>>;
