/**
 * One catalogue of the errors Caisson raises (Dagger's ERROR_CODES and Rollup's log catalogue are the
 * models). Every error a user can cause is a CaissonError with a stable `code`, one class per code, and
 * that class's data as fields (node path, image, option, file, run id…): programs and tests read those,
 * so messages may change freely. The CLI prints the message (one actionable line first, details after),
 * never a stack trace, and maps the code to an exit code in one table.
 */
export { ERROR_CODES, type ErrorCode } from './errors/codes.ts';
export { CaissonError, isUserError, type ErrorOptions } from './errors/caisson-error.ts';
export { UsageError, DslError, IrDecodeError, NodeNotFoundError, RunOperationError, type IrProblem } from './errors/input-errors.ts';
export { ImageConflictError, ImageNotFoundError, ImageUnresolvedError, ImageSpecError, ImageBuildError, RecordedImageMissingError } from './errors/image-errors.ts';
export { RuntimeUnavailableError, RuntimeOptionError, LeaseError } from './errors/runtime-errors.ts';
export { PluginError, SecretError, RunRecordError, RunNotFoundError } from './errors/setup-errors.ts';
