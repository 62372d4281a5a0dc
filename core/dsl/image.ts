/**
 * Images as DSL values. A plain string on a node is an image reference ("node:20"); `image({...})`
 * makes a named image value. Only references exist so far; the image issues add build options
 * (dockerfile, base + requirements, git) as more fields of ImageOptions, each producing its own
 * ImageSpec kind, so call sites written today keep working.
 */
import type { ImageSpec } from '../ir/codecs.ts';
import { DslError } from '../errors.ts';

/** Name and definition of the image used when no node sets one. */
export const DEFAULT_IMAGE: ImageSpec = { kind: 'ref', name: 'caisson-default', ref: 'debian:bookworm-slim' };

/** What `image()` accepts. */
export interface ImageOptions {
  /** A Docker image reference: tag or digest ("node:20", "busybox@sha256:…"). */
  ref: string;
  /**
   * The name nodes use to refer to this image (`imageName`) and its key in the IR's images table.
   * Default: derived from the reference ("node:20" → "node-20").
   */
  name?: string;
}

/** An image value: pass it as a node's `image` option or to `registerImage`. */
export interface Image {
  readonly kind: 'caisson.image';
  /** The table name (given, or derived from the reference). */
  readonly name: string;
  /** True when the name was derived rather than chosen; a derived name may get a suffix on clashes. */
  readonly derivedName: boolean;
  /** The options as given (frozen). */
  readonly options: Readonly<ImageOptions>;
}

/** "node:20" → "node-20"; "ghcr.io/acme/app:1.2" → "ghcr.io-acme-app-1.2". Stable, for golden files. */
export function nameForRef(ref: string): string {
  const name = ref.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return name || 'image';
}

/**
 * Defines an image value. `image({ ref: 'node:20' })` is the same image as the string 'node:20';
 * `image({ ref: 'node:20', name: 'node' })` can also be referenced as `imageName: 'node'`.
 * @throws DslError when `ref` is empty or `name` is empty or contains "/".
 */
export function image(options: ImageOptions): Image {
  if (typeof options !== 'object' || options === null) throw new DslError(`image(): expected an options object like { ref: "node:20" }, got ${String(options)}`);
  const known = new Set(['ref', 'name']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new DslError(`image(): unknown option "${key}"; known options: ref, name`);
  }
  if (typeof options.ref !== 'string' || options.ref.trim() === '') {
    throw new DslError(`image(): ref: expected a Docker image reference like "node:20", got ${JSON.stringify(options.ref)}`);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '' || options.name.includes('/'))) {
    throw new DslError(`image(): name: expected a non-empty name without "/", got ${JSON.stringify(options.name)}`);
  }
  const derivedName = options.name === undefined;
  return Object.freeze({
    kind: 'caisson.image',
    name: options.name ?? nameForRef(options.ref),
    derivedName,
    options: Object.freeze({ ...options }),
  });
}

/** True for values made by `image()`. */
export const isImage = (value: unknown): value is Image =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'caisson.image';

/** The IR spec of an image under a given table name. */
export function imageSpecOf(img: Image, name: string = img.name): ImageSpec {
  return { kind: 'ref', name, ref: img.options.ref };
}
