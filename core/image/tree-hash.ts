/**
 * Content hash of a directory as a COPY would send it: every file and symlink not excluded by the
 * ignore rules, by relative path, mode and content. Synchronous on purpose: for thousands of small
 * files, sync reads beat the promise round-trips (see bench/images.bench.ts). Files are read in
 * chunks, so one of any size costs a buffer, not its size in memory (readFileSync stops at 2 GiB).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, readlinkSync, lstatSync, existsSync } from 'node:fs';
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

/** Hex sha256 over the tree of `dir` filtered by `ignoreText` (default: the directory's own .dockerignore). */
export function hashTree(dir: string, ignoreText: string = readDockerignore(dir)): { hash: string; files: number } {
  const rules = parseDockerignore(ignoreText);
  const hash = createHash('sha256');
  let files = 0;
  const walk = (abs: string, rel: string): void => {
    const entries = readdirSync(abs, { withFileTypes: true }).map((e) => e.name).sort();
    for (const name of entries) {
      const relPath = rel ? `${rel}/${name}` : name;
      const absPath = join(abs, name);
      const st = lstatSync(absPath);
      const ignored = rules.ignores(relPath);
      if (st.isDirectory()) {
        if (ignored && !rules.hasNegations) continue;
        if (!ignored) hash.update(`d ${relPath} ${st.mode}\n`);
        walk(absPath, relPath);
      } else if (!ignored) {
        files++;
        if (st.isSymbolicLink()) hash.update(`l ${relPath} ${readlinkSync(absPath)}\n`);
        else if (st.isFile()) {
          hash.update(`f ${relPath} ${st.mode} ${st.size}\n`);
          updateFromFile(hash, absPath);
        }
      }
    }
  };
  walk(dir, '');
  return { hash: hash.digest('hex'), files };
}

export type { IgnoreRules };
