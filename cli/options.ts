/** Parsing of numeric command-line options, with errors that name the option. */
import { UsageError } from './usage-error.ts';

/** A number > 0 for `--flag`, or undefined when not given. */
export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a number > 0, got "${value}"`, { option: flag });
  return n;
}

/** A whole number >= 1 for `--flag`, or undefined when not given. */
export function positiveInt(flag: string, value: string | undefined): number | undefined {
  const n = positiveNumber(flag, value);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`${flag}: expected a whole number >= 1, got "${value}"`, { option: flag });
  return n;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9 };

/** A size in bytes like "50MB", "200kB", "1.5G" or "1000" (decimal units), or undefined when not given. */
export function byteSize(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${name}: expected a size like 50MB, 200kB or 0 (no cap), got "${value}"`, { option: name });
  return Math.round(Number(m[1]) * unit);
}

/** Collects repeated `--env K=V` values (commander's option parser). */
export const collectEnv = (value: string, previous: string[] = []): string[] => [...previous, value];
