/**
 * A run's side of the result cache: for an Exec with `cache` set, work out its key (core/cache), keep
 * its manifest, look it up and announce the decision as a `cache` event; after a run that exited 0,
 * store the output. The cache never fails a node: a store that cannot be read or written is a debug
 * line and the node runs (or ends) as if uncached.
 */
import type { Node } from '../ir/index.ts';
import type { CacheManifest } from '../cache/cache-key.ts';
import { cachePolicyOf, nodeManifest, upstreamPaths } from '../cache/node-key.ts';
import type { StoredArtifact, StoredChunk, StoredResult } from '../cache/result-store.ts';
import { debugLog } from '../debug-log.ts';
import type { Clock } from './clock.ts';
import type { CacheDecision, CacheEvent, RunEvent } from './events.ts';
import type { RunExec } from './run-node.ts';
import type { RunCacheOptions, RunImage } from './types.ts';

const log = debugLog('engine');

/** Output beyond this is not stored (the node still runs and ends as usual). */
export const MAX_CACHED_OUTPUT = 50e6;

/** A lookup's outcome for one attempt: the manifest, and the stored result on a hit. */
export interface CacheLookup {
  /** The attempt's manifest (its key is `manifest.key`). */
  manifest: CacheManifest;
  /** What was decided. */
  decision: CacheDecision;
  /** The stored result, on a hit. */
  hit?: StoredResult;
}

/** What ExecCache needs from its Run. */
export interface ExecCacheDeps {
  runId: string;
  clock: Clock;
  emit(e: RunEvent): void;
  /** The run's IR root (for the upstream rule) and the key an Exec got, by path. */
  root(): Node;
  keyOf(path: string): string | undefined;
  /** The image the Exec runs in. */
  imageOf(n: RunExec): RunImage;
}

/** Collects an attempt's output for storing, up to MAX_CACHED_OUTPUT. */
export class OutputCollector {
  readonly chunks: StoredChunk[] = [];
  private bytes = 0;
  /** False once the output outgrew what is stored. */
  fits = true;

  /** Adds a (masked) chunk. */
  add(stream: 'stdout' | 'stderr', data: string): void {
    if (!this.fits) return;
    this.bytes += data.length;
    if (this.bytes > MAX_CACHED_OUTPUT) { this.fits = false; this.chunks.length = 0; return; }
    const last = this.chunks[this.chunks.length - 1];
    if (last?.stream === stream) last.data += data; else this.chunks.push({ stream, data });
  }
}

/** The most a result's declared outputs may take in the cache (base64): above it the result is not stored. */
const MAX_STORED_ARTIFACTS = 64 * 2 ** 20;

/** The result cache as one run uses it. */
export class ExecCache {
  constructor(private readonly opts: RunCacheOptions, private readonly deps: ExecCacheDeps) {}

  /** True when the Exec has the cache option. */
  applies(n: RunExec): boolean { return cachePolicyOf(n.ir) !== undefined; }

  /**
   * Key, manifest, lookup and the `cache` event, for an Exec about to run (attempt stamped).
   * `secretValue` gives the run's secret values by name. Undefined when the store failed.
   */
  begin(n: RunExec, secretValue: (name: string) => string | undefined): CacheLookup | undefined {
    const { store } = this.opts;
    const policy = cachePolicyOf(n.ir)!;
    try {
      const upstream: Record<string, string> = {};
      for (const p of upstreamPaths(this.deps.root(), n.path)) {
        const key = this.deps.keyOf(p);
        if (key !== undefined) upstream[p] = key;
      }
      const extra = this.opts.extraKeyParts?.({ path: n.path, ir: n.ir });
      const manifest = nodeManifest(n.path, n.ir, {
        image: this.deps.imageOf(n), secretValue, salt: store.salt(), baseDir: this.opts.baseDir,
        runnerEnv: this.opts.runnerEnv ?? process.env, upstream, ...(extra ? { extra } : {}),
      });
      store.putManifest(manifest);
      const previous = store.latest(this.scope, n.path);
      const now = this.deps.clock.now();
      const bypass = n.bypassCache ? 'reset' : this.opts.bypass;
      let decision: CacheDecision = 'bypass';
      let found: StoredResult | undefined;
      if (bypass === undefined) {
        found = store.get(manifest.key);
        // A node with outputs hits only a result that carries them: its consumers need the files.
        if (found && n.ir.outputs?.length && !found.artifacts) found = undefined;
        decision = !found ? 'miss' : policy.ttl !== undefined && now - found.storedAt > policy.ttl * 1000 ? 'expired' : 'hit';
      }
      const event: CacheEvent = {
        type: 'cache', at: now, path: n.path, attempt: n.attempt, key: manifest.key, decision,
        ...(decision === 'bypass' ? { reason: bypass } : {}),
        ...(found ? { from: found.runId, storedAt: found.storedAt } : {}),
        ...(previous ? { previousKey: previous.key } : {}),
      };
      if (log.enabled) log('cache', { path: n.path, decision, key: manifest.key.slice(0, 16), ...(bypass ? { reason: bypass } : {}) });
      this.deps.emit(event);
      return { manifest, decision, ...(decision === 'hit' ? { hit: found } : {}) };
    } catch (err) {
      log('cache lookup failed', { path: n.path, error: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }

  /** Stores the output (and the declared outputs' archives) of an attempt that exited 0. */
  store(n: RunExec, manifest: CacheManifest, output: OutputCollector, artifacts?: StoredArtifact[]): void {
    if (!output.fits) { log('cache: output too large to store', { path: n.path }); return; }
    if (artifacts && artifacts.reduce((sum, a) => sum + a.tar.length, 0) > MAX_STORED_ARTIFACTS) {
      log('cache: outputs too large to store', { path: n.path });
      return;
    }
    try {
      this.opts.store.put({
        key: manifest.key, path: n.path, scope: this.scope, runId: this.deps.runId, storedAt: this.deps.clock.now(),
        manifest, output: output.chunks, ...(artifacts ? { artifacts } : {}),
      });
      if (log.enabled) log('cache stored', { path: n.path, key: manifest.key.slice(0, 16) });
    } catch (err) {
      log('cache store failed', { path: n.path, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private get scope(): string { return this.opts.scope ?? this.opts.baseDir; }
}
