/**
 * A fake container's filesystem: files, folders and symlinks in memory, with the archive calls of the
 * runtime contract (getArchive/putArchive, through core's tar codec), so tests on the fake can assert
 * what declared artifacts and the data store moved.
 */
import { posix } from 'node:path';
import { DATA_ROOT, readTar, writeTar, type DataFiles, type TarEntry } from '../../core/plugin-kit.ts';

/** One path in a fake container. */
export interface FakeFile {
  /** What it is. */
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits. */
  mode: number;
  /** A file's content. */
  data?: Buffer;
  /** A symlink's target. */
  linkname?: string;
}

/** The files of one fake container, by absolute path. */
export class FakeFiles {
  /** Absolute path → entry ("/" is implied). */
  readonly entries = new Map<string, FakeFile>();

  /** Writes a file (text or bytes), creating its folders. */
  write(path: string, data: string | Buffer, mode = 0o644): void {
    this.mkdirs(posix.dirname(path));
    this.entries.set(path, { type: 'file', mode, data: Buffer.from(data) });
  }

  /** A file's text, or undefined. */
  read(path: string): string | undefined { return this.entries.get(path)?.data?.toString('utf8'); }

  private mkdirs(dir: string): void {
    for (let d = dir; d !== '/' && d !== '.'; d = posix.dirname(d)) if (!this.entries.has(d)) this.entries.set(d, { type: 'dir', mode: 0o755 });
  }

  /** The archive of `path` as Docker makes it (entries named from its last segment), or undefined. */
  archive(path: string): Buffer | undefined {
    const at = posix.normalize(path);
    const top = this.entries.get(at);
    if (!top) return undefined;
    const name = posix.basename(at);
    const out: TarEntry[] = [{ name, ...top }];
    for (const [p, e] of [...this.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (p.startsWith(`${at}/`)) out.push({ name: `${name}/${p.slice(at.length + 1)}`, ...e });
    }
    return writeTar(out);
  }

  /** Extracts an archive under the folder `dir` (which must exist, as for Docker). */
  extract(dir: string, tar: Uint8Array): void {
    const at = posix.normalize(dir);
    if (at !== '/' && this.entries.get(at)?.type !== 'dir') throw new Error(`fake: no folder ${at} to extract into`);
    for (const e of readTar(Buffer.from(tar))) {
      const p = posix.join(at, e.name);
      this.mkdirs(posix.dirname(p));
      this.entries.set(p, { type: e.type, mode: e.mode, ...(e.data ? { data: e.data } : {}), ...(e.linkname !== undefined ? { linkname: e.linkname } : {}) });
    }
  }

  /** Text of every file outside /caisson/ (the engine's own), for assertions; undefined when none. */
  snapshot(): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [p, e] of [...this.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (e.type === 'file' && !p.startsWith('/caisson/')) out[p] = e.data!.toString('utf8');
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** The data store as `caisson-data` would see it now: the engine's snapshot, then this folder's puts and deletes; name → text. */
  dataSnapshot(): Record<string, string> | undefined {
    const n = this.read(`${DATA_ROOT}/current`)?.trim();
    if (!n) return undefined;
    const under = (prefix: string) => [...this.entries].filter(([p, e]) => e.type === 'file' && p.startsWith(prefix)).map(([p, e]) => [p.slice(prefix.length), e.data!.toString('utf8')] as const);
    const out: Record<string, string> = Object.fromEntries(under(`${DATA_ROOT}/${n}/in/`));
    for (const [name] of under(`${DATA_ROOT}/${n}/out/del/`)) delete out[name];
    for (const [name, value] of under(`${DATA_ROOT}/${n}/out/put/`)) out[name] = value;
    const names = Object.keys(out).sort();
    return names.length ? Object.fromEntries(names.map((k) => [k, out[k]!])) : undefined;
  }

  /** Writes puts and deletes where `caisson-data` would, for the engine to collect. */
  dataWrites(data: { put?: Record<string, string>; delete?: string[] }, path: string): void {
    const n = this.read(`${DATA_ROOT}/current`)?.trim();
    if (!n) throw new Error(`fake script for ${path}: data writes, but the runtime gave this container no data store`);
    const out = `${DATA_ROOT}/${n}/out`;
    for (const name of data.delete ?? []) { this.entries.delete(`${out}/put/${name}`); this.write(`${out}/del/${name}`, ''); }
    for (const [name, value] of Object.entries(data.put ?? {})) { this.entries.delete(`${out}/del/${name}`); this.write(`${out}/put/${name}`, value); }
  }

  /** These files as the data store's (pipelineData during an in-process native call). */
  asDataFiles(): DataFiles {
    return {
      read: (p) => this.entries.get(p)?.data,
      write: (p, data) => this.write(p, data),
      remove: (p) => { this.entries.delete(p); },
      list: (dir) => [...this.entries].filter(([p, e]) => e.type === 'file' && p.startsWith(`${dir}/`)).map(([p]) => p.slice(dir.length + 1)),
    };
  }
}
