/**
 * Remembers type checks that passed, so an unchanged pipeline is not checked again (tsc costs about
 * half a second; the lookup a few milliseconds). An entry is keyed by the pipeline file, the TypeScript
 * compiler's version and the flags, and holds the content hash of every file that check read (its
 * --listFiles): the pipeline, the user's files it imports, Caisson's and Node's declarations, the
 * compiler's lib files. Any change to any of them misses, so a changed file is checked as before.
 *
 * Each file's size and modification time are kept beside its hash: a file whose stat still matches is
 * not read again (hashing the ~6 MB of declarations a check reads cost more than the rest of the lookup).
 * A file whose stat changed is hashed, so touching a file without changing it still hits.
 *
 * Only passes are kept: a failing check is run again every time, so an error the user just fixed by
 * creating a missing file (which no hash could cover) never comes back from the cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../core/plugin-kit.ts';

/** What one check depends on besides the files it read. */
export interface CheckKey {
  /** The pipeline file, absolute. */
  file: string;
  /** The compiler, absolute, and its version. */
  tsc: string;
  tscVersion: string;
  /** The command-line flags. */
  flags: readonly string[];
}

interface Entry { key: CheckKey; files: Array<[path: string, sha256: string, stat?: string]> }

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function entryFile(key: CheckKey): string {
  return join(cacheDir('typecheck'), `${sha256(JSON.stringify(key)).slice(0, 32)}.json`);
}

/** Size and modification time (ns) as one string; undefined when the file is gone. */
function statOf(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.size}:${st.mtimeNs}`;
  } catch {
    return undefined;
  }
}

function fileHash(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined; // gone since: the entry is stale
  }
}

/** True when a check with this key passed before and none of the files it read changed since. */
export function passedBefore(key: CheckKey): boolean {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryFile(key), 'utf8')) as Entry;
  } catch {
    return false;
  }
  if (JSON.stringify(entry.key) !== JSON.stringify(key) || !Array.isArray(entry.files) || entry.files.length === 0) return false;
  let restated = false;
  for (const f of entry.files) {
    const [path, hash, stat] = f;
    const now = statOf(path);
    if (stat !== undefined && now === stat) continue;
    if (now === undefined || fileHash(path) !== hash) return false;
    f[2] = now; // same content, new stat (touched, reinstalled): remembered, so it is not hashed again
    restated = true;
  }
  if (restated) writeEntry(key, entry);
  return true;
}

function writeEntry(key: CheckKey, entry: Entry): void {
  try {
    const target = entryFile(key);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, target);
  } catch { /* read-only or full cache: check again next time */ }
}

/** Records a passing check of `key` that read `files`. A cache that cannot be written is not an error. */
export function rememberPass(key: CheckKey, files: readonly string[]): void {
  const hashed: Entry['files'] = [];
  for (const path of files) {
    // The stat first: a file changed between the two is then hashed again at the next lookup.
    const stat = statOf(path);
    const hash = fileHash(path);
    if (hash === undefined || stat === undefined) return;
    hashed.push([path, hash, stat]);
  }
  writeEntry(key, { key, files: hashed });
}
