/**
 * The engine's public types: options, a node's status and a run's result.
 */
import type { AttemptMarks, NodeState } from './events.ts';
import type { ExecNode } from '../ir/index.ts';
import type { ResultCache } from '../cache/result-store.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import type { ResolveImages } from './run-grafts.ts';
import type { NativeBundler } from '../native/contract.ts';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import type { DataStore } from '../data/data-store.ts';

/** Options of `new Engine(runtime, clock, options)`. */
export interface EngineOptions {
  /** Capacity Exec nodes reserve from; defaults: os.availableParallelism() cores, os.totalmem() GB. */
  capacity?: { cpu?: number; mem?: number };
  /** Bundles native functions for containers (the native-bundle plugin); without one, calls run only on the fake runtime. */
  nativeBundler?: NativeBundler | undefined;
}

/**
 * Options of `Engine.createRun()`: the run id, resolved images, labels, statuses to resume from and
 * where secrets come from.
 */
export interface CreateRunOptions {
  /** Default: generated from the engine clock, sortable (e.g. "20261122-074712-ab12"). */
  runId?: string;
  /**
   * Image name → what containers are created from: a reference, or what the image service resolved
   * (reference plus the probed shell and working dir). Default: the IR's images[name].ref and .shell.
   */
  images?: Record<string, string | RunImage>;
  /** Extra labels for containers; the run id label (dev.caisson.run) is always added. */
  labels?: Record<string, string>;
  /**
   * Statuses to restore (a run store replays a log into this). Exec states are taken as given except
   * "running"/"queued", which become killed: the process that ran them is gone. Container states are
   * always re-derived from their children.
   */
  initial?: Record<string, NodeStatus>;
  /**
   * Values for the IR's secret("NAME") references, each looked up once when start() begins; default: the
   * runner's environment (process.env). Values are injected into the env of the commands given them, and
   * masked in every node's output and error reasons.
   */
  secrets?: SecretSource;
  /**
   * Resolves (builds on demand) the images a lazy node's generated subtree defines that the run does not
   * have yet, e.g. `(specs) => caisson.images.resolveAll({ ...ir, images: byName(specs) })`. Plain
   * references need none; without it, a generated subtree can only add plain references.
   */
  resolveImages?: ResolveImages;
  /**
   * The result cache for nodes with the `cache` option. Without it they run as if uncached (nothing
   * looked up or stored): the `caisson` command passes the local store in the cache folder.
   */
  cache?: RunCacheOptions;
  /** The folder native calls' module paths are relative to (the pipeline file's); default: the working directory. */
  baseDir?: string;
  /**
   * Keys of hook firings the run's record already holds (its `hook` events' `key`s): they are not fired
   * again, so a resumed run notifies once per node attempt (core/engine/hooks.ts).
   */
  firedHooks?: Iterable<string>;
  /**
   * Where declared outputs are kept and inputs read from; default: in memory (a run record's store,
   * FolderArtifactStore, keeps them across resume).
   */
  artifacts?: ArtifactStore;
  /**
   * The run's data store (`caisson-data` in containers); default: in memory (a run record's,
   * FolderDataStore, keeps it across resume).
   */
  data?: DataStore;
}

/** A resolved image as a run uses it. */
export interface RunImage {
  /** Reference (tag or id) containers are created from. */
  ref: string;
  /** Shell that runs script commands (absolute path or name); unset = the runtime's default (bash, else sh). */
  shell?: string;
  /** Working directory commands start in; unset = the image's own. */
  workdir?: string;
  /** The image id, when known: a cached Exec's key holds it rather than the reference. */
  id?: string;
}

/** Where a node stands. */
export interface NodeStatus extends AttemptMarks {
  /** The node's state; a Serial's or Parallel's is derived from its children's. */
  state: NodeState;
  /** The skipped twin: set on this node or any ancestor; the node is passed over. */
  skipped: boolean;
  /** How many times the node started running (0 = never). */
  attempt: number;
  /** Engine-clock epoch ms of the latest attempt's start and end. */
  startedAt?: number;
  /** Engine-clock epoch ms the latest attempt finished; unset while it runs. */
  endedAt?: number;
}

/** The result cache a run uses for nodes with `cache` set (CreateRunOptions.cache). */
export interface RunCacheOptions {
  /** Where results are looked up and stored (LocalResultCache: a folder). */
  store: ResultCache;
  /** The pipeline's folder: `cache.inputs` patterns are relative to it. */
  baseDir: string;
  /** What a node path's "latest result" is scoped to (default baseDir); the CLI passes the pipeline file. */
  scope?: string;
  /** Look nothing up (fresh results are still stored): the reason shown, e.g. "--no-cache". */
  bypass?: string;
  /** The runner's environment `cache.env` reads (default process.env). */
  runnerEnv?: Readonly<Record<string, string | undefined>>;
  /** Extra key components of a node (the seam for artifacts' input hashes); each goes in as `extra:NAME`. */
  extraKeyParts?(node: { path: string; ir: ExecNode }): Readonly<Record<string, unknown>> | undefined;
}

/** What start() resolves to. */
export interface RunResult {
  /** The root's state. */
  state: NodeState;
  /** Paths of Execs that ended in error or killed (skipped ones excluded), in tree order. */
  failed: string[];
  /** Every node's final status, keyed by path. */
  statuses: Record<string, NodeStatus>;
}
