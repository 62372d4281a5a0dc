/**
 * Writes an artifact's entries into a host folder (`caisson artifact … --out DIR`): files with their
 * modes, folders, symlinks. Names were cleaned when read (no leading "/"); one with a ".." segment
 * would leave the folder and is refused, whatever produced the archive.
 */
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { TarEntry } from './tar.ts';

/**
 * Extracts `entries` under `dir` (created if missing); returns the number of files written.
 * @throws Error naming an entry that would land outside `dir`
 */
export function extractEntries(entries: readonly TarEntry[], dir: string): number {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  let files = 0;
  for (const e of entries) {
    const target = resolve(root, e.name);
    if (e.name.split('/').includes('..') || (target !== root && !target.startsWith(root + sep))) {
      throw new Error(`the artifact holds "${e.name}", which would land outside ${root}; nothing past it was written`);
    }
    if (e.type === 'dir') { mkdirSync(target, { recursive: true }); continue; }
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { force: true });
    if (e.type === 'symlink') symlinkSync(e.linkname ?? '', target);
    else { writeFileSync(target, e.data!); chmodSync(target, e.mode & 0o777); }
    files++;
  }
  return files;
}

