/**
 * The local result store: a content-addressed folder (results/<key>.json, each a whole stored result:
 * where it came from, its manifest and its output), the manifests of every lookup (manifests/<key>.json,
 * what `caisson why` compares), and per node path a pointer to its latest stored key (latest/). Every
 * file is written through a temp file and a rename, and a result is one file, so a reader sees a whole
 * result or none and any number of runs may store and read at once (the same key twice: the last rename
 * wins, with equal content). Removal is an unlink, so an evicted result is simply a miss.
 *
 * Size: results and manifests are kept under a cap (default 1 GB; `CAISSON_CACHE_SIZE`), least recently
 * used first out; `prune()` is `caisson cache prune`. Synchronous: the files are small and few per node.
 */
import { randomBytes, createHash } from 'node:crypto';
import { linkSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirPrivate, PRIVATE_FILE, writePrivateAtomic } from '../store/private-fs.ts';
import type { CacheManifest } from './cache-key.ts';

/** A chunk of a stored result's output. */
export interface StoredChunk {
  /** Which stream. */
  stream: 'stdout' | 'stderr';
  /** The text (already masked with the secrets of the run that stored it). */
  data: string;
}

/** One stored successful result (exit 0). */
export interface StoredResult {
  /** Its key. */
  key: string;
  /** The Exec's path. */
  path: string;
  /** Where the node's latest pointer lives (the pipeline file, so two projects' /ci/test are apart). */
  scope: string;
  /** The run that stored it. */
  runId: string;
  /** Engine-clock epoch ms it was stored (ttl counts from it). */
  storedAt: number;
  /** Every key component with its hash. */
  manifest: CacheManifest;
  /** The output, in order. */
  output: StoredChunk[];
  /**
   * The node's declared outputs as it produced them (each a normalised tar, base64), so a hit gives its
   * consumers the same files. Present whenever the node declares outputs; a result of such a node
   * without them (stored by an older version) is not used.
   */
  artifacts?: StoredArtifact[];
}

/** One declared output of a stored result. */
export interface StoredArtifact {
  /** The output as declared ("dist"). */
  output: string;
  /** Bytes of file content, and files, in it. */
  size: number;
  files: number;
  /** The normalised tar, base64. */
  tar: string;
}

/** Where a node path's latest stored result is. */
export interface LatestPointer { key: string; runId: string; storedAt: number }

/** What prune removed and kept. */
export interface PruneReport { removed: number; removedBytes: number; kept: number; keptBytes: number }

/**
 * What the engine needs of a result store; LocalResultCache is the file one, a library user may give
 * another (shared, remote) that keeps the same promises: whole results or none, never a secret value.
 */
export interface ResultCache {
  /** A per-store random salt for hashing secret values into keys (never leaves the store's machine). */
  salt(): string;
  /** The stored result of `key`, or undefined. */
  get(key: string): StoredResult | undefined;
  /** Stores a result (and points its path's latest at it). */
  put(result: StoredResult): void;
  /** Keeps the manifest of a lookup, for `why`. */
  putManifest(manifest: CacheManifest): void;
  /** A manifest kept earlier. */
  manifest(key: string): CacheManifest | undefined;
  /** The latest stored result of `path` in `scope`. */
  latest(scope: string, path: string): LatestPointer | undefined;
}

/** The default size cap of the result store: 1 GB. */
export const DEFAULT_CACHE_SIZE = 1e9;

const KEY = /^[0-9a-f]{64}$/;
const pathId = (scope: string, path: string): string => createHash('sha256').update(`${scope}\0${path}`).digest('hex').slice(0, 32);

function readJson<T>(file: string): T | undefined {
  try { return JSON.parse(readFileSync(file, 'utf8')) as T; } catch { return undefined; }
}

/** The file result store in `dir` (the CLI uses the cache folder's `results/`). */
export class LocalResultCache implements ResultCache {
  private saltValue: string | undefined;

  /** @param dir the store's folder; @param maxBytes the size cap results and manifests are kept under */
  constructor(readonly dir: string, readonly maxBytes: number = DEFAULT_CACHE_SIZE) {
    for (const sub of ['results', 'manifests', 'latest']) mkdirPrivate(join(dir, sub));
  }

  /** @inheritdoc */
  salt(): string {
    if (this.saltValue) return this.saltValue;
    const file = join(this.dir, 'salt');
    let text = readJson<{ salt: string }>(file)?.salt;
    if (!text) {
      // Written whole, then linked into place: two runs creating it at once agree on the first one.
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, JSON.stringify({ salt: randomBytes(32).toString('hex') }), { mode: PRIVATE_FILE });
      chmodSync(tmp, PRIVATE_FILE);
      try { linkSync(tmp, file); } catch { /* another run made it first */ } finally { rmSync(tmp, { force: true }); }
      text = readJson<{ salt: string }>(file)?.salt;
      if (!text) throw new Error(`cannot read the result cache's salt (${file})`);
    }
    return (this.saltValue = text);
  }

  /** @inheritdoc */
  get(key: string): StoredResult | undefined {
    if (!KEY.test(key)) return undefined;
    const file = join(this.dir, 'results', `${key}.json`);
    const result = readJson<StoredResult>(file);
    if (!result || result.key !== key || !Array.isArray(result.output)) return undefined;
    try { const now = new Date(); utimesSync(file, now, now); } catch { /* evicted meanwhile: still a whole result */ }
    return result;
  }

  /** @inheritdoc */
  put(result: StoredResult): void {
    writePrivateAtomic(join(this.dir, 'results', `${result.key}.json`), JSON.stringify(result));
    writePrivateAtomic(join(this.dir, 'latest', `${pathId(result.scope, result.path)}.json`),
      JSON.stringify({ key: result.key, runId: result.runId, storedAt: result.storedAt } satisfies LatestPointer));
    this.prune({ maxBytes: this.maxBytes });
  }

  /** @inheritdoc */
  putManifest(manifest: CacheManifest): void {
    writePrivateAtomic(join(this.dir, 'manifests', `${manifest.key}.json`), JSON.stringify(manifest));
  }

  /** @inheritdoc */
  manifest(key: string): CacheManifest | undefined {
    return KEY.test(key) ? readJson<CacheManifest>(join(this.dir, 'manifests', `${key}.json`)) : undefined;
  }

  /** @inheritdoc */
  latest(scope: string, path: string): LatestPointer | undefined {
    return readJson<LatestPointer>(join(this.dir, 'latest', `${pathId(scope, path)}.json`));
  }

  /**
   * Removes results and manifests: all of them (`all`), those last used longer than `olderThanMs` ago,
   * then the least recently used until the rest fits `maxBytes`. A result's manifest goes with it;
   * manifests of lookups that stored nothing (misses that failed) go first. Latest pointers whose
   * result is gone are dropped.
   */
  prune(opts: { maxBytes?: number; olderThanMs?: number; all?: boolean } = {}): PruneReport {
    const results = this.list('results').sort((a, b) => a.mtime - b.mtime);
    const manifests = new Map(this.list('manifests').map((f) => [f.key, f]));
    const orphans = [...manifests.values()].filter((m) => !results.some((r) => r.key === m.key)).sort((a, b) => a.mtime - b.mtime);
    let total = results.reduce((n, f) => n + f.bytes, 0) + [...manifests.values()].reduce((n, f) => n + f.bytes, 0);
    const report: PruneReport = { removed: 0, removedBytes: 0, kept: 0, keptBytes: 0 };
    const cutoff = opts.olderThanMs === undefined ? -Infinity : Date.now() - opts.olderThanMs;
    const drop = (mtime: number) => opts.all || mtime < cutoff || (opts.maxBytes !== undefined && total > opts.maxBytes);
    for (const m of orphans) {
      if (drop(m.mtime) && this.remove(join(this.dir, 'manifests', m.name))) { total -= m.bytes; report.removedBytes += m.bytes; manifests.delete(m.key); }
    }
    const kept = new Set<string>();
    for (const r of results) {
      const m = manifests.get(r.key);
      const bytes = r.bytes + (m?.bytes ?? 0);
      if (drop(r.mtime) && this.remove(join(this.dir, 'results', r.name))) {
        if (m) this.remove(join(this.dir, 'manifests', m.name));
        total -= bytes;
        report.removed++;
        report.removedBytes += bytes;
      } else {
        kept.add(r.key);
        report.kept++;
        report.keptBytes += bytes;
      }
    }
    for (const { name } of this.list('latest')) {
      const pointer = readJson<LatestPointer>(join(this.dir, 'latest', name));
      if (!pointer || !kept.has(pointer.key)) this.remove(join(this.dir, 'latest', name));
    }
    return report;
  }

  private list(sub: string): Array<{ name: string; key: string; bytes: number; mtime: number }> {
    let names: string[];
    try { names = readdirSync(join(this.dir, sub)); } catch { return []; }
    const out: Array<{ name: string; key: string; bytes: number; mtime: number }> = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const st = statSync(join(this.dir, sub, name));
        out.push({ name, key: name.slice(0, -5), bytes: st.size, mtime: st.mtimeMs });
      } catch { /* removed meanwhile */ }
    }
    return out;
  }

  private remove(file: string): boolean {
    try { unlinkSync(file); return true; } catch { return false; }
  }
}
