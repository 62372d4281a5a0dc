/**
 * The command's usage errors are core's UsageError (code USAGE, exit code 2 by cli/main.ts's EXIT_CODES), with
 * the file, option and node path they name as fields; re-exported so the CLI's files keep one import.
 */
export { UsageError } from '../core/index.ts';
