/**
 * Caisson's public API. Explicit named exports only; each folder's index decides what it exposes.
 */
export * from './dsl/index.ts';
export * from './ir/index.ts';
export * from './engine/index.ts';
export * from './runtime/index.ts';
export * from './di/index.ts';
export * from './image/index.ts';
export * from './errors.ts';
export * from './secrets/index.ts';
export * from './store/index.ts';
