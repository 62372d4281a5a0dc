/**
 * Errors about what a run is set up with and recorded in: plugins, secrets, run records.
 */
import { brandError, CaissonError, type ErrorOptions } from './caisson-error.ts';

/**
 * Plugin wiring: two plugins for one slot, a malformed contribution, no runtime, an image kind or
 * builder that no plugin contributes.
 */
export class PluginError extends CaissonError {
  /** The plugins involved (both, for two contributions to one slot; none when one is missing). */
  declare readonly plugins: string[];
  /** The slot ("runtime", "imageKinds", "imageBuilder", "clock"), when one is concerned. */
  declare readonly slot?: string;
  /** The image kind, for image-kind problems. */
  declare readonly kind?: string;
  /** The image that needs the missing kind or builder, when one does. */
  declare readonly image?: string;
  /**
   * @param message names the plugins and says what to change
   * @param data the plugins, slot, kind and image involved
   */
  constructor(message: string, data: { plugins: string[]; slot?: string; kind?: string; image?: string } & ErrorOptions) {
    super('PLUGIN', message, data);
  }
}
brandError(PluginError, 'PluginError');

/** A secret cannot be read safely: the secrets file has an unsafe mode or a bad line. Names the file and the fix. */
export class SecretError extends CaissonError {
  /** The secrets file. */
  declare readonly file?: string;
  /** The 1-based line of the file at fault, when one is. */
  declare readonly line?: number;
  /**
   * @param message names the file (and line) and the fix
   * @param data the file and line, and the underlying error
   */
  constructor(message: string, data: { file?: string; line?: number } & ErrorOptions = {}) {
    super('SECRET', message, data);
  }
}
brandError(SecretError, 'SecretError');

/** A run record cannot be found, read or changed; the message names the run and the folder. */
export class RunRecordError extends CaissonError {
  /** The run, when known. */
  declare readonly runId?: string;
  /** The record file or folder at fault, when one is. */
  declare readonly file?: string;
  /**
   * @param message names the run and the file, and what to do
   * @param data the run id and file, and the underlying error
   */
  constructor(message: string, data: { runId?: string; file?: string } & ErrorOptions = {}) {
    super('RUN_RECORD', message, data);
  }
}
brandError(RunRecordError, 'RunRecordError');

/** No recorded run matches a run id, prefix or "latest"; `candidates` are the closest ids. */
export class RunNotFoundError extends CaissonError {
  /** What the user asked for (id, prefix or "latest"). */
  declare readonly ref: string;
  /** The closest recorded run ids, for suggestions. */
  declare readonly candidates: string[];
  /**
   * @param ref what the user asked for (id, prefix or "latest"), kept as `ref`
   * @param message says where it looked and what is close
   * @param candidates the closest recorded run ids, kept as `candidates` for suggestions
   */
  constructor(ref: string, message: string, candidates: string[] = []) {
    super('RUN_NOT_FOUND', message, { ref, candidates });
  }
}
brandError(RunNotFoundError, 'RunNotFoundError');
