/**
 * What the fake runtime records, for assertions.
 */
import type { Command, ContainerSpec, Env } from '../../core/index.ts';

/** One command the fake ran. */
export interface FakeCall {
  path: string;
  /** 1 for the node's first execution. */
  attempt: number;
  /** Image ref of the container it ran in. */
  image: string;
  env: Env;
  command: Command;
  /** Shell and working dir the engine asked for (from the resolved image); undefined = runtime default. */
  shell?: string;
  workdir?: string;
  containerId: string;
  /** Virtual clock ms at start and end (end undefined while running). */
  start: number;
  end?: number;
  /** null when killed (or the runtime failed). */
  exitCode?: number | null;
  /** True when the command was stopped by its signal (maxTime, cancel, kill) or an OOM script. */
  killed: boolean;
  /** The signal's reason when killed ("max time exceeded", "cancelled", "killed by user"). */
  killReason?: string;
}

/** One container the fake created. */
export interface FakeContainer {
  id: string;
  spec: ContainerSpec;
  disposed: boolean;
  /** Paths of the commands it ran, in order. */
  commands: string[];
}
