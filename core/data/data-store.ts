/**
 * The per-run data store (Conducto's co.data.pipeline): values by name, put, get, list, exists and
 * delete. It lives with the run record (`<record>/data/<name>`, FolderDataStore) and so survives
 * resume; runs without a record keep it in memory. Shell commands reach it with `caisson-data`
 * (core/data/run-data.ts, docs/container-paths.md); host code (native functions, tools) uses this API.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';

/** What a data store does, by name. */
export interface DataStore {
  /** Stores `value` under `name`, replacing what was there. */
  put(name: string, value: string | Uint8Array): void;
  /** The value of `name`, or undefined. */
  get(name: string): Buffer | undefined;
  /** Names stored, sorted; only those starting with `prefix` when given. */
  list(prefix?: string): string[];
  /** True when `name` has a value. */
  exists(name: string): boolean;
  /** Removes `name`; true when it was there. */
  delete(name: string): boolean;
}

/** Names are parts of letters, digits, `.`, `_` and `-` joined by `/` (like relative paths, no `.` or `..` parts). */
export function dataNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) return 'expected a name of 1 to 255 characters';
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name)) return 'use letters, digits, ".", "_" and "-", with "/" between parts';
  if (name.split('/').some((p) => p === '.' || p === '..')) return 'a part may not be "." or ".."';
  return undefined;
}

/** Throws a UsageError naming a bad data store name. */
export function checkDataName(name: string): void {
  const problem = dataNameProblem(name);
  if (problem) throw new UsageError(`data store: bad name ${JSON.stringify(name)}: ${problem}`, { option: 'name' });
}

/** A data store in memory. */
export class MemoryDataStore implements DataStore {
  private readonly values = new Map<string, Buffer>();
  /** See DataStore.put. */
  put(name: string, value: string | Uint8Array): void { checkDataName(name); this.values.set(name, Buffer.from(value)); }
  /** See DataStore.get. */
  get(name: string): Buffer | undefined { checkDataName(name); return this.values.get(name); }
  /** See DataStore.list. */
  list(prefix = ''): string[] { return [...this.values.keys()].filter((n) => n.startsWith(prefix)).sort(); }
  /** See DataStore.exists. */
  exists(name: string): boolean { checkDataName(name); return this.values.has(name); }
  /** See DataStore.delete. */
  delete(name: string): boolean { checkDataName(name); return this.values.delete(name); }
}

/** The record folder holding a run's data store values. */
export const DATA_DIR = 'data';

/** A run record's data store: one file per name under `<record>/data/` (mode 0600). */
export class FolderDataStore implements DataStore {
  /** The folder holding the values. */
  readonly root: string;
  /** @param recordDir the run record's folder */
  constructor(recordDir: string) { this.root = join(recordDir, DATA_DIR); }

  private file(name: string): string { checkDataName(name); return join(this.root, ...name.split('/')); }

  /** See DataStore.put; a name whose folder is a value ("a" then "a/b") is refused. */
  put(name: string, value: string | Uint8Array): void {
    const file = this.file(name);
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      if (existsSync(file) && statSync(file).isDirectory()) throw new Error('it is a folder of other names');
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, value, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    } catch (e) {
      throw new UsageError(`data store: cannot put ${JSON.stringify(name)}: ${(e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'a part of it is a value already' : (e as Error).message}`, { option: 'name' });
    }
  }

  /** See DataStore.get. */
  get(name: string): Buffer | undefined {
    const file = this.file(name);
    try { return statSync(file).isFile() ? readFileSync(file) : undefined; } catch { return undefined; }
  }

  /** See DataStore.list. */
  list(prefix = ''): string[] {
    const out: string[] = [];
    const walk = (dir: string, at: string): void => {
      let names: string[];
      try { names = readdirSync(dir); } catch { return; }
      for (const n of names) {
        if (n.endsWith('.tmp')) continue;
        const full = join(dir, n);
        const name = at ? `${at}/${n}` : n;
        if (statSync(full).isDirectory()) walk(full, name);
        else if (name.startsWith(prefix)) out.push(name);
      }
    };
    walk(this.root, '');
    return out.sort();
  }

  /** See DataStore.exists. */
  exists(name: string): boolean { return this.get(name) !== undefined; }

  /** See DataStore.delete. */
  delete(name: string): boolean {
    const file = this.file(name);
    if (!this.exists(name)) return false;
    rmSync(file, { force: true });
    return true;
  }
}
