/**
 * The engine's public types: options, a node's status and a run's result.
 */
import type { NodeState, RetryMark } from './events.ts';
import type { FailureClass } from '../options/retry-option.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import type { DataStore } from '../data/data-store.ts';

/** Options of `new Engine(runtime, clock, options)`. */
export interface EngineOptions {
  /** Capacity Exec nodes reserve from; defaults: os.availableParallelism() cores, os.totalmem() GB. */
  capacity?: { cpu?: number; mem?: number };
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
}

/** Where a node stands. */
export interface NodeStatus {
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
  /** Why the node is in this state (exit code, "max time exceeded", an OOM or startup message). */
  reason?: string;
  /** The command's exit code, when the latest attempt exited. */
  exitCode?: number;
  /** How the engine classified the failure the latest attempt ended with. */
  failure?: FailureClass;
  /** Which try of a retry series the latest (or, while waiting, the next) attempt is; unset if never retried. */
  retry?: RetryMark;
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
