/**
 * Declared artifacts (node options `outputs` and `inputs`): the tar codec, output globs, the tree rule
 * on input order, the artifact store and what a run does with them.
 */
export { readTar, writeTar, cleanName, type TarEntry } from './tar.ts';
export { globRegExp, isGlob, staticPrefix } from './glob.ts';
export { checkInputOrder, producersUnder } from './input-order.ts';
export { MemoryArtifactStore, latestArtifacts, inputHashes, sha256Of, type ArtifactRecord, type ArtifactStore } from './artifact-store.ts';
export { RunArtifacts, collect, type ArtifactNode, type Gathered, type Delivery } from './run-artifacts.ts';
export { extractEntries } from './extract.ts';
