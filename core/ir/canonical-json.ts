/**
 * Canonical JSON: keys sorted at every depth, 2-space indent. Golden files, hashes and diffs use it,
 * so two equal documents always print byte-for-byte the same.
 */
import { configure } from 'safe-stable-stringify';

const stableStringify = configure({ deterministic: true, circularValue: Error, bigint: false });

/** Stable stringify with sorted keys and a 2-space indent. */
export function canonicalJson(value: unknown): string {
  return stableStringify(value, null, 2) ?? 'null';
}

/** A deep copy of plain JSON data with every object's keys in sorted order. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeysDeep(v);
  }
  return out as T;
}
