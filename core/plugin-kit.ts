/**
 * `caisson/plugin-kit`: what provider and tool authors need and pipeline authors don't. Everything the
 * root entry has, plus each core folder's own exports: the IR's inner codecs and path helpers, the
 * option table, the labels and reuse key the engine uses, the docker run flag grammar, the image
 * toolkit the built-in kinds are made of (codecs for params, hashing, ignore files, probing, the
 * generated install + copy stage), the secret scrubber and URL user info, and the run-record store. Less stable than the root entry: it
 * follows the internals (test/unit/api-surface.txt still lists every name, so changes are seen).
 */
export * from './index.ts';
export * from './dsl/index.ts';
export * from './ir/index.ts';
export * from './engine/index.ts';
export * from './runtime/index.ts';
export * from './image/index.ts';
export * from './secrets/index.ts';
export * from './store/index.ts';
export * from './control/index.ts';
export * from './cache/index.ts';
export * from './native/index.ts';
export * from './artifacts/index.ts';
export * from './data/index.ts';
export { debugLog, maskDebugLines, type DebugLog } from './debug-log.ts';
export { ownFile } from './own-file.ts';
