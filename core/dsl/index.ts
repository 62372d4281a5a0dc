/**
 * The DSL: immutable fluent builders that compile to the IR.
 */
export { pipeline, serial, parallel, exec } from './factories.ts';
export { compile, DEFAULTS } from './compile.ts';
export { compileSubtree } from './compile-subtree.ts';
export type { SubtreeDocument } from './compile-subtree.ts';
export { image, isImage, nameForRef, DEFAULT_IMAGE } from './image.ts';
export type { Image, ImageOptions } from './image.ts';
export { relpath, containerPathOf } from './image-paths.ts';
export { CODE_DIR, DEFAULT_BASE_REF } from './image-spec.ts';
export { GroupBuilder } from './group-builder.ts';
export type { Subtree, BuildFn, GroupOptions } from './group-builder.ts';
export { ExecBuilder } from './exec-builder.ts';
export type { NodeOptions, ExecOptions, SerialOptions, ParallelOptions, PipelineOptions, NodeSettings, LazyOptions, LazyLimits } from './options.ts';
export type { RetryOptions, RetryBackoff, RetryRule, FailureClass } from '../options/retry-option.ts';
export type { CacheOptions } from '../options/cache-option.ts';
export type { GroupKind } from './defs.ts';
export { unindent } from './unindent.ts';
export { secret, isSecret } from './secret.ts';
export type { SecretRef } from './secret.ts';
