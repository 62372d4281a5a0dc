/**
 * Caisson's on-disk cache: probe results (by image id) and host git clones. `CAISSON_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/caisson`, else `~/.cache/caisson`. Safe to delete at any time.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

/** The cache root (created on first use). */
export function cacheDir(...sub: string[]): string {
  const root = process.env.CAISSON_CACHE_DIR || (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'caisson') : join(homedir(), '.cache', 'caisson'));
  const dir = join(root, ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}
