/**
 * The result cache the `caisson` command gives its runs: the local store in the cache folder
 * (`results/`, CAISSON_CACHE_DIR moves it), capped at CAISSON_CACHE_SIZE (default 1 GB), with inputs
 * read from the pipeline file's folder and each node's "latest result" scoped to the pipeline file.
 */
import { dirname } from 'node:path';
import { cacheDir, DEFAULT_CACHE_SIZE, LocalResultCache, type RunCacheOptions } from '../core/plugin-kit.ts';
import { byteSize } from './options.ts';

/** The local result store, with the size cap from CAISSON_CACHE_SIZE. */
export function resultStore(): LocalResultCache {
  const cap = byteSize('CAISSON_CACHE_SIZE', process.env.CAISSON_CACHE_SIZE);
  return new LocalResultCache(cacheDir('results'), cap === undefined ? DEFAULT_CACHE_SIZE : cap === 0 ? Infinity : cap);
}

/** The cache options of a run of the pipeline file `file`; `bypass` (e.g. "--no-cache") looks nothing up. */
export function runCache(file: string, bypass?: string, store: LocalResultCache = resultStore()): RunCacheOptions {
  return { store, baseDir: dirname(file), scope: file, ...(bypass ? { bypass } : {}) };
}
