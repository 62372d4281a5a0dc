/**
 * `caisson run --dry-run`'s cache lines: for every Exec, whether its result would come from the cache.
 * Keys are computed exactly as the engine computes them (core/cache's nodeManifest and upstream rule),
 * from the images as they are now (nothing is built: a built image whose tag is missing makes a miss),
 * the secrets' values and the input files; nothing runs and nothing is stored.
 */
import { cachePolicyOf, diffManifests, execNodes, nodeManifest, upstreamPaths, walk, type ExecNode, type LocalResultCache, type PipelineIR, type ResolvedImage, type SecretSource } from '../core/plugin-kit.ts';
import { dirname } from 'node:path';

/** What the prediction needs. */
export interface PredictionInput {
  ir: PipelineIR;
  /** The pipeline file (inputs are relative to its folder). */
  file: string;
  /** Where the latest results are looked up (cacheScope: the file, or the fake runtime's own scope). */
  scope?: string;
  /** The images as resolved without building. */
  images: Record<string, ResolvedImage>;
  secrets: SecretSource | undefined;
  store: LocalResultCache;
  /** --no-cache. */
  bypass: boolean;
  now: number;
}

/** One line per Exec: "hit", "miss: src/a.ts changed", "not cached: runs", "skipped". */
export function predictCache(p: PredictionInput): Array<{ path: string; prediction: string }> {
  const skipped = new Set<string>();
  walk(p.ir.root, (node, path, parent) => {
    if (node.skip || (parent && skipped.has(path.slice(0, path.lastIndexOf('/'))))) skipped.add(path);
  });
  const keys = new Map<string, string>();
  const out: Array<{ path: string; prediction: string }> = [];
  for (const { node, path } of execNodes(p.ir.root)) {
    if (skipped.has(path)) { out.push({ path, prediction: 'skipped' }); continue; }
    if (!cachePolicyOf(node)) { out.push({ path, prediction: node.cache && (node.call || node.graft) ? `not cached (${node.call ? 'native functions' : 'lazy generators'} never are): runs` : 'not cached: runs' }); continue; }
    out.push({ path, prediction: predictOne(p, node, path, keys) });
  }
  return out;
}

function predictOne(p: PredictionInput, node: ExecNode, path: string, keys: Map<string, string>): string {
  const image = p.images[node.image];
  if (!image) return `miss: image ${node.image} is not resolved`;
  const upstream: Record<string, string> = {};
  for (const u of upstreamPaths(p.ir.root, path)) { const k = keys.get(u); if (k) upstream[u] = k; }
  const manifest = nodeManifest(path, node, {
    image, secretValue: (name) => p.secrets?.get(name), salt: p.store.salt(), baseDir: dirname(p.file),
    runnerEnv: process.env, upstream,
  });
  keys.set(path, manifest.key);
  if (p.ir.images[node.image]?.kind !== 'ref' && image.id === undefined) return `miss: image ${node.image} is not built yet`;
  if (p.bypass) return 'bypass (--no-cache): runs';
  const found = p.store.get(manifest.key);
  if (found) {
    const ttl = cachePolicyOf(node)!.ttl;
    if (ttl !== undefined && p.now - found.storedAt > ttl * 1000) return `miss: the result of run ${found.runId} is older than the ttl`;
    return `hit: the result of run ${found.runId}`;
  }
  const latest = p.store.latest(p.scope ?? p.file, path);
  const before = latest && p.store.manifest(latest.key);
  if (!before) return 'miss: no earlier result';
  const changes = diffManifests(before, manifest);
  return `miss: ${changes.length ? changes.join(', ') : 'the earlier result is gone'}`;
}
