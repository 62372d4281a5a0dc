/** The result cache: keys and manifests, input file hashing, the local store, and `why`'s diff. */
export { cacheManifest, saltedHash, KEY_VERSION, type CacheKeyParts, type CacheManifest, type ManifestEntry } from './cache-key.ts';
export { hashInputs } from './input-files.ts';
export { nodeManifest, upstreamPaths, cachePolicyOf, type NodeKeyContext, type KeyImage } from './node-key.ts';
export { LocalResultCache, DEFAULT_CACHE_SIZE, type ResultCache, type StoredResult, type StoredChunk as CachedChunk, type LatestPointer, type PruneReport } from './result-store.ts';
export { diffManifests } from './manifest-diff.ts';
