/**
 * What the UI server needs from whoever starts it (the `caisson` command): the things only it can do,
 * because they need the runtime and image plugins, which a plugin may not import (plugins never import
 * each other). Each is optional: without it, the UI hides the button.
 */
import type { RecordedImage, RunRecord, SecretSource } from '../../core/plugin-kit.ts';

/** A debug shell session: a container made as `caisson debug` makes it, with a shell attached. */
export interface ShellSession {
  /** Keys typed in the browser. */
  write(data: string): void;
  /** The terminal's size changed. */
  resize(cols: number, rows: number): void;
  /** Output of the shell (stdout and stderr, as a terminal shows them). */
  onData(listener: (data: string) => void): void;
  /** The shell ended (the person typed exit), with its exit code. */
  onExit(listener: (code: number) => void): void;
  /** Removes the container; idempotent. */
  close(): Promise<void>;
}

/** The capabilities the `caisson` command lends the UI server. */
export interface UiHooks {
  /** The exact `caisson debug …` command line for a node of a run (shown with a copy button). */
  debugCommand(record: RunRecord, path: string): string;
  /** Where a run's secret values come from: every reply is masked with them. */
  secretsOf?(record: RunRecord): SecretSource | undefined;
  /** Starts executing what is pending (a resume) in this process; resolves once it is under way. */
  resume?(record: RunRecord): Promise<void>;
  /** Builds the named images of the run again (no layer cache) and records them; resolves to the records. */
  rebuild?(record: RunRecord, names: string[]): Promise<Record<string, RecordedImage>>;
  /** Starts a debug shell for an Exec of the run, sized `cols` x `rows`. */
  openShell?(record: RunRecord, path: string, size: { cols: number; rows: number }): Promise<ShellSession>;
}
