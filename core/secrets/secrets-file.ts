/**
 * The `.caisson/secrets` file: KEY=VALUE lines next to the pipeline, read only when nobody but its owner
 * can read it (mode 0600), since it holds what must never leak.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SecretError } from '../errors.ts';

/** Where the secrets file of a pipeline in `dir` lives. */
export const secretsFilePath = (dir: string): string => join(dir, '.caisson', 'secrets');

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses KEY=VALUE lines. Blank lines and lines starting with `#` are ignored; the value is everything
 * after the first `=`, taken as is (no quotes are removed, no trailing space trimmed, only a final `\r`).
 * @throws SecretError naming `file` and the line for a line that is not KEY=VALUE.
 */
export function parseSecrets(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (!NAME.test(key)) throw new SecretError(`${file}:${i + 1}: expected a NAME=VALUE line (NAME of letters, digits and _)`, { file, line: i + 1 });
    out.set(key, line.slice(eq + 1));
  });
  return out;
}

/**
 * Reads the secrets file at `file`; undefined when there is none.
 * @throws SecretError when its mode lets anyone but the owner read or write it.
 */
export function readSecretsFile(file: string): Map<string, string> | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretError(`cannot read secrets file ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  if (mode !== 0o600) {
    throw new SecretError(`secrets file ${file} has mode ${mode.toString(8).padStart(4, '0')}; it must be readable by you alone: run chmod 600 ${file}`, { file });
  }
  return parseSecrets(readFileSync(file, 'utf8'), file);
}
