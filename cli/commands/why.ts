/**
 * `caisson why RUN PATH`: why a cached Exec ran (or did not) in a run: the decision of its lookup, then
 * its manifest compared with the latest stored result for its path at that time, one line per change
 * ("image changed", "src/a.ts changed", "env NODE_ENV dev→prod"; secrets and runner variables are named,
 * never shown). Manifests are read from the result store, so a pruned one is said to be gone.
 */
import { diffManifests, findNode, type CacheEvent, type LocalResultCache } from '../../core/plugin-kit.ts';
import { positiveInt } from '../options.ts';
import { checkNodePath, type DirOption, findRecord } from '../records/open-run.ts';
import { resultStore } from '../result-cache.ts';
import { UsageError } from '../usage-error.ts';

/** Options of `caisson why`. */
export interface WhyOptions extends DirOption {
  attempt?: string;
}

const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/** The lines `why` prints for one lookup. */
export function explainLookup(e: CacheEvent, store: LocalResultCache): string[] {
  const head = `${e.path} attempt ${e.attempt}`;
  const current = store.manifest(e.key);
  const previous = e.previousKey ? store.manifest(e.previousKey) : undefined;
  const lines: string[] = [];
  if (e.decision === 'hit') return [`${head}: cache hit: the result stored by run ${e.from ?? '?'}${e.storedAt ? ` at ${when(e.storedAt)}` : ''} was used (same key ${e.key.slice(0, 12)}); nothing ran`];
  if (e.decision === 'expired') lines.push(`${head}: ran: the result stored by run ${e.from ?? '?'}${e.storedAt ? ` at ${when(e.storedAt)}` : ''} has the same key but is older than the node's ttl`);
  else if (e.decision === 'bypass') lines.push(`${head}: ran: the cache was bypassed (${e.reason === 'reset' ? 'the node was reset' : e.reason ?? 'bypass'})`);
  else lines.push(`${head}: ran: cache miss`);
  if (e.decision === 'expired') return lines;
  if (!e.previousKey) { lines.push('  no earlier result'); return lines; }
  if (e.previousKey === e.key) {
    // A miss with the latest result's own key: that result was removed (pruned, or over the size cap).
    lines.push(e.decision === 'miss' ? '  same key as the earlier result, which is no longer in the cache (pruned, or over its size cap)' : '  same key as the earlier result: nothing changed');
    return lines;
  }
  if (!current || !previous) {
    lines.push(`  the earlier result (key ${e.previousKey.slice(0, 12)}) differs, but its manifest or this one is no longer in the cache (pruned)`);
    return lines;
  }
  const changes = diffManifests(previous, current);
  lines.push(...(changes.length ? changes : ['the key differs, but no component does']).map((c) => `  ${c}`));
  return lines;
}

/** Prints why the node ran; exit 0 (2 for an unknown run, node or attempt). */
export function whyCommand(ref: string, nodePath: string, opts: WhyOptions): number {
  const record = findRecord(opts, ref);
  const ir = record.loadIr();
  const path = checkNodePath(ir, nodePath, record.id);
  const replayed = record.replay();
  const lookups = replayed.cacheLookups.get(path) ?? [];
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (lookups.length === 0) {
    const attempt = replayed.statuses[path]?.attempt ?? 0;
    const node = findNode(ir.root, path);
    const uncacheable = node.kind === 'exec' && (node.call !== undefined || node.graft !== undefined);
    out(attempt === 0 ? `${path} has not run in run ${record.id}` : (uncacheable
      ? `${path} is not cached: ${node.kind === 'exec' && node.call ? 'a native function' : "a lazy node's generator"} is never looked up in the cache (its cache option, if set or inherited, does not apply)`
      : `${path} is not cached: it ran because it has no cache option (set cache: true, or { inputs, env, ttl }, to reuse its results)`));
    return 0;
  }
  const wanted = positiveInt('--attempt', opts.attempt);
  const e = wanted === undefined ? lookups[lookups.length - 1]! : lookups.find((l) => l.attempt === wanted);
  if (!e) throw new UsageError(`${path} in run ${record.id} has no cache lookup for attempt ${wanted} (attempts looked up: ${lookups.map((l) => l.attempt).join(', ')})`, { path, option: '--attempt' });
  for (const line of explainLookup(e, resultStore())) out(line);
  return 0;
}
