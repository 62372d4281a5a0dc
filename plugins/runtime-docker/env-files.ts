/**
 * `--env-file` and `--label-file` as docker reads them: `KEY=VALUE` lines taken as is (no quotes, no
 * expansion), blank and `#` lines skipped, a bare `KEY` taking its value from the runner's environment
 * (left out when unset) for env files and meaning an empty label for label files.
 *
 * Env files are read on the host when each command starts, and their values go to the command's env
 * only: never into the IR, the run record or the container's config (`docker inspect`), since such files
 * commonly hold credentials, and an edit between commands applies to the next one.
 */
import { readFileSync } from 'node:fs';
import { RuntimeOptionError } from '../../core/index.ts';

/**
 * Reads one file of `KEY=VALUE` lines. `lookup` gives a bare key's value (undefined = leave it out);
 * with `bareIsEmpty` a bare key has the empty value instead.
 * @throws RuntimeOptionError naming the flag and the file when it cannot be read or a key is malformed.
 */
export function readKeyValueFile(
  file: string, flag: string, lookup: (key: string) => string | undefined, bareIsEmpty = false,
): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new RuntimeOptionError(`dockerRunArgs: ${flag} ${file}: cannot read it (${why}); a relative path is taken from the pipeline file's folder`, { flag, file, cause: e });
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '' || /\s/.test(key)) {
      throw new RuntimeOptionError(`dockerRunArgs: ${flag} ${file}:${i + 1}: "${key}" is not a valid name (expected KEY=VALUE lines)`, { flag, file });
    }
    const value = eq < 0 ? (bareIsEmpty ? '' : lookup(key)) : line.slice(eq + 1);
    if (value !== undefined) out[key] = value;
  });
  return out;
}

/** The env of `files`, later files winning, as the command's env gets it (see the module comment). */
export const readEnvFiles = (files: readonly string[]): Record<string, string> =>
  Object.assign({}, ...files.map((f) => readKeyValueFile(f, '--env-file', (k) => process.env[k])));
