/**
 * The run's data store from a native function: `import { pipelineData } from 'caisson'`, as Conducto's
 * `co.data.pipeline`. It reads and writes exactly what `caisson-data` does (data-script.ts,
 * docs/container-paths.md): the folder the engine gave the command, so reads see the store as it was
 * when the command started plus the command's own writes, and writes reach the store when the node ends.
 * In the container that folder is under /caisson/data (node:fs); on the fake runtime, which calls native
 * functions in-process, the fake lends its container's files for the call (withDataFiles).
 *
 * Imports only node:fs and node:path: it is bundled into native functions' bundles.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';

/** Where a container's data folders are (the same as DATA_ROOT; repeated so this module imports nothing of core). */
const ROOT = '/caisson/data';
const NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** The files the store lives in: node:fs in a container, a fake container's files on the fake runtime. */
export interface DataFiles {
  /** A file's bytes, or undefined. */
  read(path: string): Buffer | undefined;
  /** Writes a file whole (its folders are created). */
  write(path: string, data: Buffer): void;
  /** Removes a file; nothing when it is absent. */
  remove(path: string): void;
  /** Every file's path below `dir`, relative to it ("a/b"). */
  list(dir: string): string[];
}

const fsFiles: DataFiles = {
  read: (p) => { try { return readFileSync(p); } catch { return undefined; } },
  write: (p, data) => {
    mkdirSync(posix.dirname(p), { recursive: true });
    // Whole or not at all, as caisson-data's `mv` of a temp file.
    const tmp = `${p}.tmp${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, p);
  },
  remove: (p) => rmSync(p, { force: true }),
  list: (dir) => {
    if (!existsSync(dir)) return [];
    const out: string[] = [];
    const walk = (at: string, rel: string) => {
      for (const name of readdirSync(at)) {
        const full = posix.join(at, name);
        const r = rel ? `${rel}/${name}` : name;
        if (statSync(full).isDirectory()) walk(full, r);
        else if (!/\.tmp\d*$/.test(name)) out.push(r);
      }
    };
    walk(dir, '');
    return out;
  },
};

// Set for the length of one in-process call by the fake runtime; global so that a second copy of this
// module (the package loaded twice, CommonJS and ESM) sees it too.
const LENT = Symbol.for('caisson.data-files');
type Lending = { [LENT]?: DataFiles };

/** Runs `fn` with the store's files taken from `files` (the fake runtime's in-process native calls). */
export async function withDataFiles<T>(files: DataFiles, fn: () => Promise<T>): Promise<T> {
  const g = globalThis as Lending;
  const before = g[LENT];
  g[LENT] = files;
  try { return await fn(); } finally { g[LENT] = before; }
}

/** The folder of the running command, and the files it is in. */
const here = (): { files: DataFiles; inDir: string; outDir: string } => {
  const files = (globalThis as Lending)[LENT] ?? fsFiles;
  const n = files.read(`${ROOT}/current`)?.toString('utf8').trim();
  if (!n) throw new Error('pipelineData: no data store here (this code is not running as a node of a Caisson run)');
  return { files, inDir: `${ROOT}/${n}/in`, outDir: `${ROOT}/${n}/out` };
};

const checked = (name: string): string => {
  if (typeof name !== 'string' || !NAME.test(name) || name.split('/').some((p) => p === '.' || p === '..')) {
    throw new Error(`pipelineData: bad name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-", with "/" between parts`);
  }
  return name;
};

/** Where NAME's value is now (this command's put, unless it deleted it, else the snapshot's), or undefined. */
const valueOf = (name: string): Buffer | undefined => {
  const { files, inDir, outDir } = here();
  const put = files.read(`${outDir}/put/${name}`);
  if (put) return put;
  if (files.read(`${outDir}/del/${name}`)) return undefined;
  return files.read(`${inDir}/${name}`);
};

/**
 * The run's data store, by name, from a native function (`exec('build', build)` with
 * `import { pipelineData } from 'caisson'`). The same store as `caisson-data` in shell commands: names
 * like "version" or "shards/3", values text or bytes, kept with the run record and across `resume`.
 */
export const pipelineData = {
  /** NAME's value as UTF-8 text, or undefined when it has none. */
  get(name: string): string | undefined { return valueOf(checked(name))?.toString('utf8'); },
  /** NAME's value as bytes, or undefined. */
  getBytes(name: string): Buffer | undefined { return valueOf(checked(name)); },
  /** True when NAME has a value. */
  exists(name: string): boolean { return valueOf(checked(name)) !== undefined; },
  /** Stores `value` (text as UTF-8) as NAME; the store has it when this node ends. */
  put(name: string, value: string | Uint8Array): void {
    const { files, outDir } = here();
    checked(name);
    files.remove(`${outDir}/del/${name}`);
    files.write(`${outDir}/put/${name}`, Buffer.from(value));
  },
  /** Removes NAME. */
  delete(name: string): void {
    const { files, outDir } = here();
    checked(name);
    files.remove(`${outDir}/put/${name}`);
    files.write(`${outDir}/del/${name}`, Buffer.alloc(0));
  },
  /** The names with a value, sorted; only those starting with `prefix` when given. */
  list(prefix = ''): string[] {
    const { files, inDir, outDir } = here();
    const names = new Set([...files.list(inDir), ...files.list(`${outDir}/put`)]);
    return [...names].filter((n) => n.startsWith(prefix) && valueOf(n) !== undefined).sort();
  },
};
