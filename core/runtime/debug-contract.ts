/**
 * The debug part of the runtime contract (docs/conducto-semantics.md#debug): a runtime that can open a
 * shell in a new container made from a node's exact image, env and mounts offers `RuntimeProvider.debug`.
 * `caisson debug` and the web UI's debug shell go through it, so the CLI knows no backend by name.
 */
import type { Mount } from './contract.ts';

/** What the shell session needs from this process; defaults to its own stdio. */
export interface DebugTerminal {
  /** Keys typed (raw mode while the shell runs, when it is a TTY). */
  stdin: NodeJS.ReadStream;
  /** The shell's output; its size is the exec's terminal size. */
  stdout: NodeJS.WriteStream;
  /** The shell's stderr when there is no TTY (with one, both streams share stdout). */
  stderr: NodeJS.WriteStream;
}

/** What to start a debug container from. */
export interface DebugContainerSpec {
  /** Node path (labels, messages). */
  path: string;
  /** Resolved image reference. */
  image: string;
  /** The node's plain env: the container's config, as a run's container would have it. */
  env: Record<string, string>;
  /**
   * The node's resolved secrets: given to the shell's exec only, never to the container's config, where
   * an inspect of the container and any `requiresDocker` node could read them, and where they would
   * outlive a SIGKILLed `caisson` until the next sweep.
   */
  secretEnv?: Record<string, string>;
  /** The node's command: a shell script or an argv array. */
  command: string | string[];
  /** Shell to run the script and the interactive session with; undefined = bash if present, else sh. */
  shell?: string;
  /** Working directory; undefined = the image's. */
  workdir?: string;
  /** Bind mounts (debug --live: the image's pathMap, read-write; a native node's bundle). */
  mounts: Mount[];
  /** Extra labels (e.g. the run id the node came from). */
  labels?: Record<string, string>;
  /** A tar to extract at `/` before the shell opens: `caisson-data` and a copy of the run's data store. */
  archive?: Uint8Array;
}

/** A started debug container. */
export interface DebugContainer {
  /** The backend's id for the container. */
  readonly id: string;
  /** The shell the script and the session use (absolute path). */
  readonly shell: string;
  /**
   * Opens the shell on this process's terminal (or `term`), with the node's secrets in its env, and
   * resolves to its exit code when the person leaves it.
   */
  openShell(term?: DebugTerminal): Promise<number>;
  /** Stops and removes the container. Idempotent; never throws for a container already gone. */
  remove(): Promise<void>;
}

/** A runtime's debug shells. */
export interface RuntimeDebug {
  /** Where the node's command is written inside a debug container ("/caisson/cmd.sh"), for the greeting. */
  readonly script: string;
  /**
   * Creates and starts a debug container for `spec`, with the node's command written to `script`.
   * Throws a clear error when the backend does not answer or the image has no shell.
   */
  start(spec: DebugContainerSpec): Promise<DebugContainer>;
}
