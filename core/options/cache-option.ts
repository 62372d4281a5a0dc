/**
 * The `cache` node option: reuse an Exec's earlier successful result when nothing it depends on
 * changed. Opt-in (commands have side effects), inherited like retry: `cache: true` or `{ inputs, env,
 * ttl }` on a group reaches every Exec below, and `cache: false` turns it off again for a subtree. The
 * IR holds the policy (`{}` for `true`) on the nodes it applies to, every duration in seconds; what goes
 * into the key is core/cache/cache-key.ts.
 */
import * as t from 'io-ts';
import { parseDuration } from '../ir/duration.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { Checked } from './rules.ts';
import { check } from './rules.ts';

/** The `cache` option as users write it (besides `true` and `false`). */
export interface CacheOptions {
  /**
   * Files whose content goes into the key: patterns relative to the pipeline file's folder, as
   * .dockerignore writes them (`*` within a folder, `**` across folders, a folder name for everything
   * in it, `!pattern` to leave files out again). Never absolute, never through `..`.
   */
  inputs?: string[];
  /** Variables of the runner's environment (not the node's: that is always in the key) whose values go into the key, hashed. */
  env?: string[];
  /** A stored result older than this is not reused: seconds or a duration ("12h"). Default: no limit. */
  ttl?: number | string;
}

/** The cache option as the IR holds it: JSON, `ttl` in seconds. */
export interface CachePolicy {
  /** Input file patterns, relative to the pipeline folder. */
  inputs?: string[];
  /** Runner environment variable names. */
  env?: string[];
  /** Seconds a stored result stays usable. */
  ttl?: number;
}

type Read = { ok: true; value: CachePolicy } | { ok: false; value: unknown; key?: string; message: string };

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const ENV_NAME = /^[^=\0]+$/;

/** Why a pattern is refused, or undefined when it is usable. */
function patternProblem(p: unknown): string | undefined {
  if (typeof p !== 'string' || p.trim() === '' || p.trim() === '!') return 'expected a non-empty file pattern';
  const body = p.startsWith('!') ? p.slice(1) : p;
  if (body.startsWith('/')) return 'expected a pattern relative to the pipeline folder, not an absolute path';
  if (body.split('/').includes('..')) return 'expected a pattern inside the pipeline folder (no ".." segments)';
  return undefined;
}

function readPolicy(u: unknown): Read {
  if (!isRecord(u)) return { ok: false, value: u, message: 'expected true, false or { inputs, env, ttl }' };
  const out: CachePolicy = {};
  for (const [key, value] of Object.entries(u)) {
    if (value === undefined) continue;
    if (key === 'inputs') {
      if (!Array.isArray(value)) return { ok: false, value, key, message: 'expected a list of file patterns relative to the pipeline folder' };
      for (const p of value) { const problem = patternProblem(p); if (problem) return { ok: false, value: p, key, message: problem }; }
      out.inputs = [...(value as string[])];
    } else if (key === 'env') {
      if (!Array.isArray(value) || !value.every((n) => typeof n === 'string' && ENV_NAME.test(n))) {
        return { ok: false, value, key, message: 'expected a list of environment variable names (not empty, no "=" or NUL)' };
      }
      out.env = [...(value as string[])];
    } else if (key === 'ttl') {
      const s = typeof value === 'string' ? parseDuration(value) : value;
      if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) return { ok: false, value, key, message: 'expected seconds > 0 or a duration like "12h"' };
      out.ttl = s;
    } else {
      return { ok: false, value: key, message: 'unknown field (known: inputs, env, ttl)' };
    }
  }
  return { ok: true, value: out };
}

const isPolicy = (u: unknown): u is CachePolicy => {
  const r = readPolicy(u);
  return r.ok && JSON.stringify(r.value) === JSON.stringify(u);
};

/** Codec of the IR's `cache` field: the policy object (decoding accepts a ttl duration string). */
export const Cache = new t.Type<CachePolicy, CachePolicy, unknown>(
  'Cache',
  isPolicy,
  (u, c) => {
    const r = readPolicy(u);
    if (r.ok) return t.success(r.value);
    return t.failure(r.value, r.key ? [...c, { key: r.key, type: t.unknown, actual: r.value }] : c, r.message);
  },
  t.identity,
);

/** The DSL's reader: `true` is `{}`, `false` turns an inherited policy off, else the options object. */
export function readCache(value: unknown): Checked<CachePolicy | false> {
  if (value === true) return { ok: true, value: {} };
  if (value === false) return { ok: true, value: false };
  if (!isRecord(value)) return { ok: false, field: '', message: `expected true, false or { inputs, env, ttl }, got ${renderValue(value)}` };
  return check(Cache, value);
}
