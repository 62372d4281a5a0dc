/**
 * The `retry` node option: how many times an Exec is tried, how long it waits between tries and which
 * failures are worth another try. Users write durations as maxTime takes them (seconds or "90s"); the
 * IR holds plain JSON with every duration in seconds. Defaults are the engine's (core/engine/retry-policy.ts),
 * so the IR holds only what the user wrote.
 */
import * as t from 'io-ts';
import { parseDuration } from '../ir/duration.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { Checked } from './rules.ts';
import { check } from './rules.ts';

/**
 * What the engine says a failed attempt was: `oom` (the kernel's memory killer), `timeout` (maxTime),
 * `infra` (the runtime failed: daemon gone, container create/start failed, image missing, the command
 * ended without an exit code), `killed` (by the user, `kill()`), `exit` (a non-zero exit code).
 */
export type FailureClass = 'oom' | 'timeout' | 'infra' | 'killed' | 'exit';

/** The failure classes a rule can name, in the order messages list them. */
export const FAILURE_CLASSES: readonly FailureClass[] = ['oom', 'timeout', 'infra', 'killed', 'exit'];

/** One rule: a failure it matches (an exit code, a list of them, or a class) and what to do then. */
export type RetryRule =
  | { /** Exit code(s) the rule matches. */ exitCode: number | number[]; /** Retry, or fail at once. */ action: 'retry' | 'fail' }
  | { /** Failure class the rule matches (`exit`: any non-zero exit code). */ failure: FailureClass; /** Retry, or fail at once. */ action: 'retry' | 'fail' };

/** The wait before each retry: `initial`, multiplied by `factor` per retry, capped at `max`, spread by `jitter`. */
export interface RetryBackoff {
  /** Wait before the first retry: seconds or a duration ("2s"). Default 2s; 0 retries at once. */
  initial?: number | string;
  /** Each further wait is the previous one times this (>= 1). Default 2. */
  factor?: number;
  /** No wait is longer than this: seconds or a duration. Default 1m. */
  max?: number | string;
  /** Spread each wait by up to ± this fraction (0 to 1), the same for a given run and node. Default 0.2. */
  jitter?: number;
}

/** The `retry` option as users write it (a number is `{ attempts: n }`). */
export interface RetryOptions {
  /** Total tries, the first one included (a whole number >= 1). Default 3. */
  attempts?: number;
  /** The waits between tries. */
  backoff?: RetryBackoff;
  /** No retry starts later than this after the first try started: seconds or a duration. Default: none. */
  budget?: number | string;
  /**
   * Ordered rules, first match wins. A failure no rule matches: infra is retried, the rest fails.
   * Without rules: any non-zero exit and infra are retried; oom, timeout and killed fail.
   */
  rules?: RetryRule[];
}

/** The retry option as the IR holds it: JSON, every duration in seconds. */
export interface RetryPolicy {
  /** Total tries. */
  attempts?: number;
  /** The waits between tries, in seconds. */
  backoff?: { initial?: number; factor?: number; max?: number; jitter?: number };
  /** Seconds after the first try's start past which no retry starts. */
  budget?: number;
  /** Ordered rules, first match wins. */
  rules?: RetryRuleIr[];
}

/** A rule as the IR holds it. */
export type RetryRuleIr = { exitCode: number | number[]; action: 'retry' | 'fail' } | { failure: FailureClass; action: 'retry' | 'fail' };

type Ctx = t.Context;
type Field = { ok: true; value: unknown } | { ok: false; errors: t.Errors };

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const at = (c: Ctx, key: string, actual: unknown): Ctx => [...c, { key, type: t.unknown, actual }];
const fail = (value: unknown, c: Ctx, message: string): Field => ({ ok: false, errors: [{ value, context: c, message }] });

/** Seconds >= 0 (`positive`: > 0), from a number or a duration string. */
function seconds(u: unknown, c: Ctx, positive: boolean): Field {
  const s = typeof u === 'string' ? parseDuration(u) : u;
  if (typeof s === 'number' && Number.isFinite(s) && (positive ? s > 0 : s >= 0)) return { ok: true, value: s };
  return fail(u, c, `expected seconds ${positive ? '> 0' : '>= 0'} or a duration like "90s"`);
}

function number(u: unknown, c: Ctx, expected: string, test: (n: number) => boolean): Field {
  return typeof u === 'number' && Number.isFinite(u) && test(u) ? { ok: true, value: u } : fail(u, c, expected);
}

/** Reads the fields of an object one by one; unknown keys are refused, naming the known ones. */
function fields(u: unknown, c: Ctx, readers: Record<string, (v: unknown, c: Ctx) => Field>, what: string): Field {
  if (!isRecord(u)) return fail(u, c, `expected ${what}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(u)) {
    if (value === undefined) continue;
    const read = readers[key];
    if (!read) return fail(key, c, `unknown field (known: ${Object.keys(readers).join(', ')})`);
    const r = read(value, at(c, key, value));
    if (!r.ok) return r;
    out[key] = r.value;
  }
  return { ok: true, value: out };
}

const ACTION = (u: unknown, c: Ctx): Field => (u === 'retry' || u === 'fail' ? { ok: true, value: u } : fail(u, c, 'expected "retry" or "fail"'));
const EXIT_CODE_EXPECTED = 'expected an exit code (a whole number 1-255) or a non-empty list of them';
const isExitCode = (u: unknown): boolean => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= 255;

function readRule(u: unknown, c: Ctx): Field {
  const r = fields(u, c, {
    exitCode: (v, cc) => (isExitCode(v) || (Array.isArray(v) && v.length > 0 && v.every(isExitCode)) ? { ok: true, value: Array.isArray(v) ? [...v] : v } : fail(v, cc, EXIT_CODE_EXPECTED)),
    failure: (v, cc) => ((FAILURE_CLASSES as readonly unknown[]).includes(v) ? { ok: true, value: v } : fail(v, cc, `expected one of ${FAILURE_CLASSES.map((f) => `"${f}"`).join(', ')}`)),
    action: ACTION,
  }, 'a rule like { exitCode: 1, action: "retry" } or { failure: "oom", action: "fail" }');
  if (!r.ok) return r;
  const rule = r.value as Record<string, unknown>;
  if ((rule.exitCode === undefined) === (rule.failure === undefined)) return fail(u, c, 'expected a rule with exactly one of exitCode or failure');
  if (rule.action === undefined) return fail(u, c, 'expected the rule\'s action: "retry" or "fail"');
  return r;
}

function readPolicy(u: unknown, c: Ctx): Field {
  return fields(u, c, {
    attempts: (v, cc) => number(v, cc, 'expected a whole number of attempts >= 1 (total tries, the first included)', (n) => Number.isInteger(n) && n >= 1),
    backoff: (v, cc) => fields(v, cc, {
      initial: (w, ccc) => seconds(w, ccc, false),
      factor: (w, ccc) => number(w, ccc, 'expected a factor >= 1', (n) => n >= 1),
      max: (w, ccc) => seconds(w, ccc, false),
      jitter: (w, ccc) => number(w, ccc, 'expected a fraction from 0 to 1', (n) => n >= 0 && n <= 1),
    }, 'an object { initial, factor, max, jitter }'),
    budget: (v, cc) => seconds(v, cc, true),
    rules: (v, cc) => {
      if (!Array.isArray(v)) return fail(v, cc, 'expected a list of rules');
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = readRule(v[i], at(cc, String(i), v[i]));
        if (!r.ok) return r;
        out.push(r.value);
      }
      return { ok: true, value: out };
    },
  }, 'an object { attempts, backoff, budget, rules } or a number of attempts');
}

const isPolicy = (u: unknown): u is RetryPolicy => {
  const r = readPolicy(u, []);
  return r.ok && JSON.stringify(r.value) === JSON.stringify(u);
};

/**
 * Codec of the IR's `retry` field. Decoding accepts durations as strings and normalises them to
 * seconds, as maxTime's does; encoding yields the JSON as it is.
 */
export const Retry = new t.Type<RetryPolicy, RetryPolicy, unknown>(
  'Retry',
  isPolicy,
  (u, c) => {
    const r = readPolicy(u, c);
    return r.ok ? t.success(r.value as RetryPolicy) : t.failures(r.errors);
  },
  t.identity,
);

/** The DSL's reader: a number of attempts, or the options object; one message for the first problem. */
export function readRetry(value: unknown): Checked<RetryPolicy> {
  if (typeof value === 'number') return check(Retry, { attempts: value });
  if (typeof value === 'boolean' || typeof value === 'string') {
    return { ok: false, field: '', message: `expected a number of attempts or { attempts, backoff, budget, rules }, got ${renderValue(value)}` };
  }
  return check(Retry, value);
}
