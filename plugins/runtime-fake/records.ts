/**
 * What the fake runtime records, for assertions.
 */
import type { Command, ContainerSpec, Env } from '../../core/index.ts';
import type { FakeFiles } from './fake-files.ts';

/** One command the fake ran. */
export interface FakeCall {
  /** Path of the Exec that ran it. */
  path: string;
  /** 1 for the node's first execution. */
  attempt: number;
  /** Image ref of the container it ran in. */
  image: string;
  /** The env the engine passed (node env plus resolved secrets). */
  env: Env;
  /** The script or argv as the engine passed it. */
  command: Command;
  /** Shell the engine asked for (from the resolved image); undefined = runtime default. */
  shell?: string;
  /** Working dir the engine asked for; undefined = runtime default. */
  workdir?: string;
  /** The fake container it ran in (compare ids to see reuse). */
  containerId: string;
  /** Virtual clock ms at start and end (end undefined while running). */
  start: number;
  /** Virtual clock ms at end; undefined while running. */
  end?: number;
  /** null when killed (or the runtime failed). */
  exitCode?: number | null;
  /** True when the command was stopped by its signal (maxTime, cancel, kill) or an OOM script. */
  killed: boolean;
  /** The signal's reason when killed ("max time exceeded", "cancelled", "killed by user"). */
  killReason?: string;
  /** A native call: its export and arguments (tagged JSON), and what it returned (tagged JSON text) when it ran in-process. */
  native?: { export: string; args: unknown[]; result?: string };
  /** Text of the container's files (outside /caisson/) when the command started: what inputs brought; unset when none. */
  files?: Record<string, string>;
  /** The data store as `caisson-data` saw it when the command started (name → text); unset when empty. */
  data?: Record<string, string>;
}

/** One container the fake created. */
export interface FakeContainer {
  /** "fake-1", "fake-2"…, in acquire order. */
  id: string;
  /** What the engine asked for (image, cpu, mem, labels, group…). */
  spec: ContainerSpec;
  /** The id of the run whose session acquired it. */
  runId: string;
  /** True once the engine disposed it. */
  disposed: boolean;
  /** Paths of the commands it ran, in order. */
  commands: string[];
  /** Its files (what putArchive and scripts' `writes` put there). */
  files: FakeFiles;
}
