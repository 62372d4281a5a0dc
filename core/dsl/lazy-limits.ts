/**
 * A lazy node's `limits` option as the DSL reads it: each one a whole number >= 1, the defaults
 * (core/ir/codecs.ts) for those left out.
 */
import { DEFAULT_GRAFT_LIMITS, type Graft } from '../ir/codecs.ts';
import { DslError } from '../errors.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { LazyLimits } from './options.ts';

const FIELDS = { nodes: 'maxNodes', depth: 'maxDepth', bytes: 'maxBytes' } as const;

/** The IR's limits for `given`, or a DslError naming the node and the limit. */
export function readLimits(given: LazyLimits | undefined, at: string): Omit<Graft, 'into'> {
  const out: { -readonly [K in keyof Omit<Graft, 'into'>]: number } = { ...DEFAULT_GRAFT_LIMITS };
  if (given === undefined) return out;
  if (typeof given !== 'object' || given === null) throw new DslError(`${at}: limits: expected { nodes, depth, bytes }, got ${renderValue(given)}`, { path: at, option: 'limits' });
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!(key in FIELDS)) throw new DslError(`${at}: limits.${key}: unknown limit; known limits: nodes, depth, bytes`, { path: at, option: `limits.${key}` });
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new DslError(`${at}: limits.${key}: expected a whole number >= 1, got ${renderValue(value)}`, { path: at, option: `limits.${key}` });
    out[FIELDS[key as keyof typeof FIELDS]] = value;
  }
  return out;
}
