/**
 * Content hash of a directory as a COPY would send it: every file and symlink not excluded by the
 * ignore rules, by relative path, mode and content. Synchronous on purpose: for thousands of small
 * files, sync reads beat the promise round-trips (see bench/images.bench.ts). Files are read in
 * chunks, so one of any size costs a buffer, not its size in memory (readFileSync stops at 2 GiB).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, readlinkSync, lstatSync, existsSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { parseDockerignore, type IgnoreRules } from './dockerignore.ts';

/** The context's own .dockerignore text ("" when it has none). */
export function readDockerignore(dir: string): string {
  const file = join(dir, '.dockerignore');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

const CHUNK = 1024 * 1024;
let buffer: Buffer | undefined;

/** Feeds the content of `file` into `hash`, one chunk at a time. */
function updateFromFile(hash: Hash, file: string): void {
  buffer ??= Buffer.allocUnsafe(CHUNK);
  const fd = openSync(file, 'r');
  try {
    for (let n; (n = readSync(fd, buffer, 0, CHUNK, null)) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** Hex sha256 of a file's content, read in chunks. */
export function hashFile(file: string): string {
  const hash = createHash('sha256');
  updateFromFile(hash, file);
  return hash.digest('hex');
}

/** One entry a build context sends: its context-relative path and what lstat said. */
interface ContextEntry { rel: string; abs: string; stat: Stats }

/**
 * Calls `visit` for every entry of `dir` a build sends under `ignoreText`, in sorted order, walking as
 * BuildKit does: an excluded folder is not entered unless an exception pattern lies inside it (its own
 * entry is then not sent, only what the exception brings back).
 */
function walkContext(dir: string, ignoreText: string, visit: (entry: ContextEntry) => void): void {
  const rules = parseDockerignore(ignoreText);
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const absPath = join(abs, name);
      const stat = lstatSync(absPath);
      const ignored = rules.ignores(relPath);
      if (stat.isDirectory()) {
        if (ignored && !rules.descend(relPath)) continue;
        if (!ignored) visit({ rel: relPath, abs: absPath, stat });
        walk(absPath, relPath);
      } else if (!ignored) visit({ rel: relPath, abs: absPath, stat });
    }
  };
  walk(dir, '');
}

/** The files and symlinks (context-relative, sorted) a build sends from `dir` under `ignoreText`. */
export function contextFiles(dir: string, ignoreText: string = readDockerignore(dir)): string[] {
  const out: string[] = [];
  walkContext(dir, ignoreText, (e) => { if (!e.stat.isDirectory()) out.push(e.rel); });
  return out;
}

/** Hex sha256 over the tree of `dir` filtered by `ignoreText` (default: the directory's own .dockerignore). */
export function hashTree(dir: string, ignoreText: string = readDockerignore(dir)): { hash: string; files: number } {
  const hash = createHash('sha256');
  let files = 0;
  walkContext(dir, ignoreText, ({ rel, abs, stat }) => {
    if (stat.isDirectory()) {
      hash.update(`d ${rel} ${stat.mode}\n`);
      return;
    }
    files++;
    if (stat.isSymbolicLink()) hash.update(`l ${rel} ${readlinkSync(abs)}\n`);
    else if (stat.isFile()) {
      hash.update(`f ${rel} ${stat.mode} ${stat.size}\n`);
      updateFromFile(hash, abs);
    }
  });
  return { hash: hash.digest('hex'), files };
}

export type { IgnoreRules };
