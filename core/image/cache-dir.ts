/**
 * Caisson's on-disk cache: probe results (by image id) and host git checkouts. `CAISSON_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/caisson`, else `~/.cache/caisson`. Safe to delete at any time. Private: every folder
 * Caisson creates there is 0700, and its own folders (the default root, the subfolders) are set back to
 * 0700 if an older Caisson made them wider; a folder the user pointed CAISSON_CACHE_DIR at is left as is.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirPrivate, tightenDir } from '../store/private-fs.ts';

/** The cache root, or a folder in it (created on first use, 0700). */
export function cacheDir(...sub: string[]): string {
  const root = process.env.CAISSON_CACHE_DIR || (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'caisson') : join(homedir(), '.cache', 'caisson'));
  const dir = join(root, ...sub);
  mkdirPrivate(dir);
  if (!process.env.CAISSON_CACHE_DIR) tightenDir(root);
  if (sub.length) tightenDir(dir);
  return dir;
}
