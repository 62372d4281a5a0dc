/**
 * The result cache the `caisson` command gives its runs: the local store in the cache folder
 * (`results/`, CAISSON_CACHE_DIR moves it), capped at CAISSON_CACHE_SIZE (default 1 GB), with inputs
 * read from the pipeline file's folder and each node's "latest result" scoped to the pipeline file.
 */
import { dirname } from 'node:path';
import { cacheDir, DEFAULT_CACHE_SIZE, execNodes, LocalResultCache, type PipelineIR, type RunCacheOptions } from '../core/plugin-kit.ts';
import { byteSize } from './options.ts';

/** The local result store, with the size cap from CAISSON_CACHE_SIZE (a bad value is a usage error). */
export function resultStore(): LocalResultCache {
  const cap = byteSize('CAISSON_CACHE_SIZE', process.env.CAISSON_CACHE_SIZE);
  return new LocalResultCache(cacheDir('results'), cap === undefined ? DEFAULT_CACHE_SIZE : cap === 0 ? Infinity : cap);
}

/**
 * The cache options of a run of `ir` from the pipeline file `file`; `bypass` (e.g. "--no-cache") looks
 * nothing up. Undefined when no node is cached (the store is not touched), or when the store cannot be
 * opened (said once on stderr: the cached nodes then run as usual).
 */
/**
 * The scope a run's "latest results" live in: the pipeline file, and a scope of their own for runs on a
 * runtime that runs nothing (the fake), whose results must never be what a real run's `why` compares with.
 */
export const cacheScope = (file: string, runsNothing: boolean): string => (runsNothing ? `${file} (fake runtime)` : file);

export function runCache(ir: PipelineIR, file: string, bypass?: string, scope: string = file): RunCacheOptions | undefined {
  if (!execNodes(ir.root).some(({ node }) => node.cache)) return undefined;
  byteSize('CAISSON_CACHE_SIZE', process.env.CAISSON_CACHE_SIZE);
  let store: LocalResultCache;
  try {
    store = resultStore();
  } catch (e) {
    process.stderr.write(`caisson: the result cache cannot be opened (${e instanceof Error ? e.message : String(e)}); cached nodes run as usual\n`);
    return undefined;
  }
  return { store, baseDir: dirname(file), scope, ...(bypass ? { bypass } : {}) };
}
