/**
 * The error codes, each with what it means. A code is stable across releases and each has one error
 * class with its own data fields (see the classes' files); a message may change freely, so programs and
 * tests branch on `code` and read the fields. The CLI maps each code to an exit code in one table
 * (EXIT_CODES in cli/main.ts).
 */
export const ERROR_CODES = {
  USAGE: 'bad input to a command or call: a flag, a file, a CA bundle, a fake script (UsageError)',
  DSL: 'builder misuse: bad name, duplicate sibling, bad option value (DslError)',
  IR_INVALID: 'decodePipeline found problems; each has its node path and field (IrDecodeError)',
  IMAGE_CONFLICT: 'two different image definitions under one name (ImageConflictError)',
  IMAGE_SPEC: 'an image definition breaks a rule: conflicting options, missing path, unknown distro (ImageSpecError)',
  IMAGE_NOT_FOUND: 'an image reference is not present and cannot be pulled (ImageNotFoundError)',
  IMAGE_UNRESOLVED: 'a node runs a built image that was not resolved for its run (ImageUnresolvedError)',
  IMAGE_BUILD: 'building, cloning or probing an image failed (ImageBuildError)',
  RECORDED_IMAGE_MISSING: 'an image a recorded run uses was not recorded or is gone from the daemon (RecordedImageMissingError)',
  RUNTIME_UNAVAILABLE: 'the container backend (Docker daemon) does not answer (RuntimeUnavailableError)',
  RUNTIME_OPTION: 'an option the runtime cannot honour: a dockerRunArgs flag, an image Docker refuses (RuntimeOptionError)',
  LEASE: 'a container cannot run a command: it is busy, disposed or stopped (LeaseError)',
  NODE_NOT_FOUND: 'a node path names no node (NodeNotFoundError)',
  RUN_OPERATION: 'a run operation (edit, kill, reset…) does not apply to the node it names (RunOperationError)',
  RUN_NOT_FOUND: 'no recorded run matches a run id, prefix or "latest" (RunNotFoundError)',
  RUN_RECORD: 'a run record is missing, unreadable, newer or in use (RunRecordError)',
  PLUGIN: 'plugin wiring: two plugins for one slot, a bad contribution, a kind or builder missing (PluginError)',
  SECRET: 'a secret cannot be read: secrets file unsafe or malformed (SecretError)',
} as const;

/** Stable machine-readable kind of a CaissonError, for programs and tests to branch on. */
export type ErrorCode = keyof typeof ERROR_CODES;
