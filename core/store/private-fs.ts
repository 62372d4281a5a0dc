/**
 * Folders and files only their owner can read: records hold commands' output (and sit next to a
 * pipeline's secrets file), and the cache holds probes and git checkouts. Modes are set explicitly after
 * creating, since a create mode is only a request the umask can narrow (a strict umask would even leave
 * a file we cannot reopen) or, as 0777/0666 do, widen to whatever the umask lets through.
 */
import { chmodSync, fchmodSync, mkdirSync, openSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Mode of every folder Caisson creates. */
export const PRIVATE_DIR = 0o700;
/** Mode of every file Caisson creates. */
export const PRIVATE_FILE = 0o600;

/** `mkdir -p dir`, each folder it creates set to 0700 (existing ones are left as they are). */
export function mkdirPrivate(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  if (first === undefined) return;
  for (let p = dir; ; p = dirname(p)) {
    chmodSync(p, PRIVATE_DIR);
    if (p === first || dirname(p) === p) break;
  }
}

/** Sets an existing folder that is Caisson's own (`.caisson`, its runs folder) back to 0700 if it is wider. */
export function tightenDir(dir: string): void {
  try {
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, PRIVATE_DIR);
  } catch {
    // Not ours to change (another owner) or gone: what is created inside is private anyway.
  }
}

/** Opens (creating) `file` with `flags`, the file 0600 whatever the umask. */
export function openPrivate(file: string, flags: string): number {
  const fd = openSync(file, flags, PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
  } catch {
    // A file someone else owns keeps its mode; it was not created here.
  }
  return fd;
}

/** Writes `text` to `file` through a temporary file and a rename (a reader never sees half), mode 0600. */
export function writePrivateAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: PRIVATE_FILE });
  chmodSync(tmp, PRIVATE_FILE);
  renameSync(tmp, file);
}
