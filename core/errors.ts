/**
 * One catalogue of the errors Caisson raises. Every error a user can cause is a CaissonError: the CLI
 * prints its message (one actionable line first, details after) and never a stack trace.
 */

/** Stable machine-readable kind of a CaissonError, for programs and tests to branch on (messages may change). */
export type ErrorCode =
  | 'DSL'              // builder misuse: bad name, duplicate sibling, bad option value
  | 'IR_INVALID'       // decodePipeline found problems
  | 'IMAGE_CONFLICT'   // two different image definitions under one name
  | 'IMAGE_NOT_FOUND'  // image not present and not pullable
  | 'IMAGE_SPEC'       // an image definition breaks a rule (conflicting options, missing path, unknown distro)
  | 'IMAGE_BUILD'      // building or probing an image failed
  | 'RUNTIME_UNAVAILABLE' // backend (Docker daemon) does not answer
  | 'RUNTIME_OPTION'   // an option the runtime cannot honour (e.g. an unsupported dockerRunArgs flag)
  | 'CAPACITY'         // a node's reservation can never fit
  | 'NOT_FOUND'        // unknown node path
  | 'PLUGIN'           // plugin wiring problem
  | 'SECRET'           // a secret cannot be read (secrets file unsafe or malformed, bad secret name)
  | 'USAGE'            // CLI usage
  | 'RUN_RECORD';      // a run record (.caisson/runs/<id>) is missing, unreadable or in use

/** Base class: `code` for programs, `message` for people. */
export class CaissonError extends Error {
  /** Which kind of error this is; stable across releases, unlike the message. */
  readonly code: ErrorCode;
  /** `message` is shown to the user as is; `options.cause` keeps the underlying error for debugging. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'CaissonError';
  }
}

/** Builder misuse; the message names the full node path and the option. */
export class DslError extends CaissonError {
  constructor(message: string) { super('DSL', message); this.name = 'DslError'; }
}

/** One problem found while decoding an IR. */
export interface IrProblem {
  /** Node path ("/ci/checks/unit"), or "" for the document itself. */
  path: string;
  /** Field inside the node or document ("maxTime", "images.base.ref"). */
  field: string;
  /** What is wrong, in words a user can act on. */
  message: string;
}

/** decodePipeline's error: lists every problem, one per line. */
export class IrDecodeError extends CaissonError {
  /** Every problem found, in document order, for tools that show them one by one. */
  readonly problems: IrProblem[];
  constructor(problems: IrProblem[]) {
    const lines = problems.map((p) => `${p.path || '(pipeline)'}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
    super('IR_INVALID', `invalid pipeline IR (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`);
    this.name = 'IrDecodeError';
    this.problems = problems;
  }
}

/**
 * Two different image definitions were registered under one name in a pipeline; the message says where
 * both come from.
 */
export class ImageConflictError extends CaissonError {
  /**
   * @param name the image name both definitions use
   * @param detail where the two definitions come from and how they differ
   */
  constructor(name: string, detail = '') {
    super('IMAGE_CONFLICT', `image "${name}" is already present with a different definition in this pipeline${detail ? `: ${detail}` : ''}; give one of them another name`);
    this.name = 'ImageConflictError';
  }
}

/** An image is neither present locally nor pullable; `image` is the reference that was asked for. */
export class ImageNotFoundError extends CaissonError {
  /**
   * @param image the reference that was asked for, kept on the error as `image`
   * @param detail why it could not be had (the daemon's answer), appended in parentheses
   */
  constructor(readonly image: string, detail: string) {
    super('IMAGE_NOT_FOUND', `image "${image}" is not present locally and could not be pulled${detail ? ` (${detail})` : ''}; build or load it (docker images lists what is present)`);
    this.name = 'ImageNotFoundError';
  }
}

/** An image definition that cannot work; the message names the image and the option. A DslError when image() finds it. */
export class ImageSpecError extends DslError {
  /** IMAGE_SPEC, although it is a DslError, so programs can tell image problems from other builder misuse. */
  override readonly code: ErrorCode = 'IMAGE_SPEC';
  /** @param image the image's name in the pipeline, kept as `image` and prefixed to the message */
  constructor(readonly image: string, message: string) {
    super(`image "${image}": ${message}`);
    this.name = 'ImageSpecError';
  }
}

/** A build, clone or probe of an image failed; the message names the image and ends with the tool's output tail. */
export class ImageBuildError extends CaissonError {
  /** @param image the image's name in the pipeline, kept as `image` and prefixed to the message */
  constructor(readonly image: string, message: string, options?: { cause?: unknown }) {
    super('IMAGE_BUILD', `image "${image}": ${message}`, options);
    this.name = 'ImageBuildError';
  }
}

/**
 * The container backend (Docker daemon, BuildKit) does not answer; the message names the socket and
 * how to start it.
 */
export class RuntimeUnavailableError extends CaissonError {
  constructor(message: string) { super('RUNTIME_UNAVAILABLE', message); this.name = 'RuntimeUnavailableError'; }
}

/**
 * An option the runtime cannot honour (an unsupported or malformed dockerRunArgs flag, an image Docker
 * refuses, no shell to debug in); the message names the node or flag.
 */
export class RuntimeOptionError extends CaissonError {
  constructor(message: string) { super('RUNTIME_OPTION', message); this.name = 'RuntimeOptionError'; }
}

/**
 * A node path names no node; the message lists a few of the known paths next to it so the user can
 * correct a typo.
 */
export class NodeNotFoundError extends CaissonError {
  /**
   * @param path the path that was looked up
   * @param known paths that do exist nearby (the first eight are listed in the message)
   */
  constructor(path: string, known?: string[]) {
    const hint = known && known.length ? `; known children: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}` : '';
    super('NOT_FOUND', `no node at ${path}${hint}`);
    this.name = 'NodeNotFoundError';
  }
}

/** A run operation (edit, kill, reset…) that does not apply to the node it names. */
export class RunOperationError extends CaissonError {
  constructor(message: string) { super('USAGE', message); this.name = 'RunOperationError'; }
}

/** A secret cannot be read safely: the secrets file has an unsafe mode or a bad line. Names the file and the fix. */
export class SecretError extends CaissonError {
  constructor(message: string) { super('SECRET', message); this.name = 'SecretError'; }
}

/** True for errors a user caused (print the message, no stack). */
export const isUserError = (e: unknown): e is CaissonError => e instanceof CaissonError;

/** A run record cannot be found, read or changed; the message names the run and the folder. */
export class RunRecordError extends CaissonError {
  constructor(message: string, options?: { cause?: unknown }) { super('RUN_RECORD', message, options); this.name = 'RunRecordError'; }
}

/** No recorded run matches a run id, prefix or "latest"; `candidates` are the closest ids. */
export class RunNotFoundError extends CaissonError {
  /**
   * @param ref what the user asked for (id, prefix or "latest"), kept as `ref`
   * @param candidates the closest recorded run ids, kept as `candidates` for suggestions
   */
  constructor(readonly ref: string, message: string, readonly candidates: string[] = []) {
    super('NOT_FOUND', message);
    this.name = 'RunNotFoundError';
  }
}
