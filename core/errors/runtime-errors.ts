/**
 * Errors about the container backend: it does not answer, it cannot honour an option, or a container
 * cannot run a command.
 */
import { brandError, CaissonError, type ErrorOptions } from './caisson-error.ts';

/**
 * The container backend (Docker daemon, BuildKit) does not answer; the message names the socket and
 * how to start it.
 */
export class RuntimeUnavailableError extends CaissonError {
  /** Where the backend was looked for ("socket /var/run/docker.sock", "DOCKER_HOST=tcp://…"). */
  declare readonly endpoint?: string;
  /**
   * @param message where it was looked for and how to start it
   * @param data the endpoint, and the underlying error
   */
  constructor(message: string, data: { endpoint?: string } & ErrorOptions = {}) {
    super('RUNTIME_UNAVAILABLE', message, data);
  }
}
brandError(RuntimeUnavailableError, 'RuntimeUnavailableError');

/**
 * An option the runtime cannot honour (an unsupported or malformed dockerRunArgs flag, an image Docker
 * refuses, no shell to debug in); the message names the node or flag.
 */
export class RuntimeOptionError extends CaissonError {
  /** The node (or container group) the option belongs to, when known. */
  declare readonly path?: string;
  /** The dockerRunArgs flag at fault ("--env-file"), or the setting ("requiresDocker"). */
  declare readonly flag?: string;
  /** The image reference involved, when one is. */
  declare readonly image?: string;
  /** The host file involved (an --env-file), when one is. */
  declare readonly file?: string;
  /**
   * @param message names the node or flag and what to do
   * @param data the node path, flag, image and file involved
   */
  constructor(message: string, data: { path?: string; flag?: string; image?: string; file?: string } & ErrorOptions = {}) {
    super('RUNTIME_OPTION', message, data);
  }
}
brandError(RuntimeOptionError, 'RuntimeOptionError');

/** A container lease cannot run a command: it is running one already, was disposed, or its container stopped. */
export class LeaseError extends CaissonError {
  /** The container's id (short form). */
  declare readonly container: string;
  /** The node whose command could not run. */
  declare readonly path: string;
  /**
   * @param message what happened to the container and the command
   * @param data the container and the node, and the underlying error
   */
  constructor(message: string, data: { container: string; path: string } & ErrorOptions) {
    super('LEASE', message, data);
  }
}
brandError(LeaseError, 'LeaseError');
