/**
 * `caisson cache prune`: removes stored results from the result cache: down to a size (default the
 * cap, CAISSON_CACHE_SIZE or 1 GB), those unused for a while (--older-than), or all of them (--all).
 */
import { parseDuration } from '../../core/plugin-kit.ts';
import { byteSize } from '../options.ts';
import { resultStore } from '../result-cache.ts';
import { UsageError } from '../usage-error.ts';

/** Options of `caisson cache prune`. */
export interface PruneOptions {
  maxSize?: string;
  olderThan?: string;
  all?: boolean;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Prunes and says what was removed and kept. */
export function cachePruneCommand(opts: PruneOptions): number {
  const store = resultStore();
  const maxBytes = opts.maxSize === undefined ? store.maxBytes : byteSize('--max-size', opts.maxSize)!;
  let olderThanMs: number | undefined;
  if (opts.olderThan !== undefined) {
    const s = parseDuration(opts.olderThan);
    if (s === undefined || s <= 0) throw new UsageError(`--older-than: expected a duration like 7d or 12h, got "${opts.olderThan}"`, { option: '--older-than' });
    olderThanMs = s * 1000;
  }
  const r = store.prune({ maxBytes, ...(olderThanMs !== undefined ? { olderThanMs } : {}), ...(opts.all ? { all: true } : {}) });
  process.stdout.write(`removed ${r.removed} result${r.removed === 1 ? '' : 's'} (${mb(r.removedBytes)}); ${r.kept} left (${mb(r.keptBytes)}) in ${store.dir}\n`);
  return 0;
}
