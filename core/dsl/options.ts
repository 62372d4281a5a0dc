/**
 * Node options (Conducto §1.2) as users write them, and how they are checked and stored. Every value
 * is validated when set, with a DslError naming the node path and the option.
 */
import type { Reuse } from '../ir/codecs.ts';
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
   * Container reuse (Conducto §3.2): "new" = every Exec below shares one fresh container, run one at a
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
export type ExecOptions = NodeOptions;

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

/** Options as stored on a node: validated and normalised. */
export interface NodeSettings {
  /** This node's own env entries (frozen); merged with the ancestors' at compile time. */
  readonly env?: Readonly<Record<string, string | SecretRef>>;
  /** The image set here; a plain reference string is stored as `image({ ref })`. */
  readonly image?: Image;
  /** Name of a registered image to use, resolved at compile time. */
  readonly imageName?: string;
  /** CPUs, > 0. */
  readonly cpu?: number;
  /** GPUs, a whole number >= 0. */
  readonly gpu?: number;
  /** Memory in GB, > 0. */
  readonly mem?: number;
  /** Mount the host Docker socket. */
  readonly requiresDocker?: boolean;
  /** Extra `docker run` arguments, already shell-split (their flags are checked at compile time). */
  readonly dockerRunArgs?: readonly string[];
  /** Pass over this node and its subtree. */
  readonly skip?: boolean;
  /** End done instead of error. */
  readonly suppressErrors?: boolean;
  /** Serial only: stop at the first failing child. */
  readonly stopOnError?: boolean;
  /** Time limit in seconds (duration strings are parsed when set). */
  readonly maxTime?: number;
  /** Serial/Parallel only: cap on descendant Execs running at once. */
  readonly maxConcurrent?: number;
  /** Container reuse as set here; unset = inherit. */
  readonly reuse?: Reuse;
  /** Markdown describing the node. */
  readonly doc?: string;
  /** Tags, always a list (a single string is wrapped). */
  readonly tags?: readonly string[];
  /** Title shown for the root in run listings. */
  readonly title?: string;
}
