/** Parsing of numeric command-line options, with errors that name the option. */
import { UsageError } from './usage-error.ts';

/** A number > 0 for `--flag`, or undefined when not given. */
export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a number > 0, got "${value}"`);
  return n;
}

/** A whole number >= 1 for `--flag`, or undefined when not given. */
export function positiveInt(flag: string, value: string | undefined): number | undefined {
  const n = positiveNumber(flag, value);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`${flag}: expected a whole number >= 1, got "${value}"`);
  return n;
}
