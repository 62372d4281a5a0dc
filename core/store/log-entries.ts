/**
 * What a run record's event log (events.jsonl, one JSON object per line) holds: the engine's events
 * (output excepted: that goes to per-attempt files), who ran the run, and control actions taken
 * between runners. Each line is written whole, so a reader can trust every complete line.
 */
import type { CacheEvent, ContainerEvent, GraftEvent, HookFiredEvent, NodeState, RetryEvent, RunFinishedEvent, RunStartedEvent, StateEvent } from '../engine/index.ts';

/** A process started executing the run (`caisson run`, `caisson resume`); liveness is judged from pid + host. */
export interface RunnerEntry {
  /** Tag of the LogEntry union. */
  type: 'runner';
  /** Epoch ms it started. */
  at: number;
  /** The runner's process id. */
  pid: number;
  /** The runner's host name (a pid only means something on its own host). */
  host: string;
  /** What started it: "run", "resume". */
  command: string;
}

/**
 * A control action (reset, skip, …) with the state changes it caused: applied by the live runner when
 * one was executing the run (it picked the request up from the run's control log), else to the record.
 */
export interface ControlEntry {
  /** Tag of the LogEntry union. */
  type: 'control';
  /** Epoch ms it was applied. */
  at: number;
  /** reset, skip, unskip, kill, retry, edit, rebuild, resume. */
  op: string;
  /** The node paths it was applied to. */
  paths: string[];
  /** Details worth keeping (the edit's new command/env, the rebuilt images). */
  detail?: Record<string, unknown>;
  /** State events the action caused, applied together: the line is either whole or ignored. */
  events: StateEvent[];
  /** Id of the control-log request a live runner applied (absent when applied to the record). */
  request?: string;
  /** Epoch ms the request was made (a live runner picks it up within 200 ms). */
  requestedAt?: number;
  /** Why the runner refused the request (then `events` is empty). */
  error?: string;
}

/** One line of the event log. */
export type LogEntry = StateEvent | ContainerEvent | RetryEvent | CacheEvent | RunStartedEvent | RunFinishedEvent | RunnerEntry | ControlEntry | GraftEvent | HookFiredEvent;

/** An image as a run record keeps it. */
export interface RecordedImage {
  /** The reference it was resolved as (a content-addressed tag for built images). */
  ref: string;
  /** Its image id, when it was present: what containers of this run are created from. */
  id?: string;
  /** Shell for script commands. */
  shell?: string;
  /** The image's working directory. */
  workdir?: string;
}

/** meta.json: where the run came from, written once when the record is created. */
export interface RunMeta {
  /** Record format version. */
  version: 1;
  /** The run's id (also its folder's name). */
  runId: string;
  /** The pipeline's (root's) name. */
  pipeline: string;
  /** Absolute path of the pipeline file. */
  file: string;
  /** Which export of the pipeline file the pipeline came from. */
  exportName: string;
  /** Runtime backend name (--runtime). */
  runtime: string;
  /** Epoch ms the record was created. */
  createdAt: number;
  /**
   * Image name → the image the run uses, kept until `caisson rebuild` replaces it: resume and debug run
   * it by id, so neither a changed file nor a re-tag changes it. A plain string is a reference alone
   * (records made before ids were kept).
   */
  images?: Record<string, RecordedImage | string>;
  /** Capacity options the run was started with, reused by resume. */
  capacity?: { cpu?: number; mem?: number };
}

/** States in which a node is still being worked on. */
export const IN_PROGRESS_STATES: ReadonlySet<NodeState> = new Set(['queued', 'running']);
