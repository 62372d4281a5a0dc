/**
 * The `env` option's own parts: how the DSL reads it (names by the IR's EnvName rule, values strings or
 * secret() references) and how an effective env becomes the IR's `env` (plain values) and `secrets`
 * (env var → secret name; the values are read only when the command runs, see core/secrets).
 */
import { isSecret, type SecretRef } from '../dsl/secret.ts';
import { renderValue } from '../ir/validation-errors.ts';
import { check, EnvName, type Checked, type Env } from './rules.ts';

/** An env as users give it and nodes store it: plain values or secret references. */
export type EnvSetting = Readonly<Record<string, string | SecretRef>>;

/** Reads a user's env into a frozen copy (so later changes to the caller's object have no effect). */
export function readEnv(value: unknown): Checked<EnvSetting> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isSecret(value)) {
    return { ok: false, field: '', message: `expected an object of string values, got ${renderValue(value)}` };
  }
  const out: Record<string, string | SecretRef> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = check(EnvName, key);
    if (!name.ok) return name;
    if (typeof entry !== 'string' && !isSecret(entry)) {
      return { ok: false, field: '', message: `${key}: expected a string value, got ${renderValue(entry)} (convert it with String())` };
    }
    out[key] = entry;
  }
  return { ok: true, value: Object.freeze(out) };
}

/** `set()` on a node that already has env: merge per key, the new entries win. */
export const mergeEnv = (current: EnvSetting, next: EnvSetting): EnvSetting => Object.freeze({ ...current, ...next });

/** The effective env's plain values, keys sorted. */
export function plainEnv(env: EnvSetting): Env {
  const out: Env = {};
  for (const key of Object.keys(env).sort()) {
    const value = env[key]!;
    if (!isSecret(value)) out[key] = value;
  }
  return out;
}

/** The effective env's secret references (env var → secret name), keys sorted; undefined when there are none. */
export function secretRefs(env: EnvSetting): Env | undefined {
  let out: Env | undefined;
  for (const key of Object.keys(env).sort()) {
    const value = env[key]!;
    if (isSecret(value)) (out ??= {})[key] = value.name;
  }
  return out;
}
