/**
 * Images as DSL values. A plain string on a node is an image reference ("node:20"); `image({...})`
 * makes an image value from Conducto's options (base + installs, a Dockerfile, a git source, code
 * to copy, or a plugin kind). The value carries its IR spec, built and validated once, here, without
 * touching the host (only copyRepo reads the checkout it names); paths are checked when it resolves.
 */
import { resolve } from 'node:path';
import type { ImageSpec, RefImage } from '../ir/codecs.ts';
import { DslError } from '../errors.ts';
import { maskUserinfo } from '../secrets/url-userinfo.ts';
import { callerDir } from './image-caller.ts';
import { IMAGE_OPTION_NAMES, type ImageOptions } from './image-options.ts';
import { buildImageSpec, DEFAULT_BASE_REF, deriveImageName } from './image-spec.ts';

export type { ImageOptions } from './image-options.ts';

/** Name and definition of the image used when no node sets one. */
export const DEFAULT_IMAGE: RefImage = { kind: 'ref', name: 'caisson-default', ref: 'debian:bookworm-slim' };

/** An image value: pass it as a node's `image` option or to `registerImage`. */
export interface Image {
  /** Brand that tells an image value apart from other option objects (see `isImage`). */
  readonly kind: 'caisson.image';
  /** The table name (given, or derived from the definition). */
  readonly name: string;
  /** True when the name was derived rather than chosen; a derived name may get a suffix on clashes. */
  readonly derivedName: boolean;
  /** The options as given (frozen). */
  readonly options: Readonly<ImageOptions<unknown>>;
  /** The IR definition (paths absolute). */
  readonly spec: Readonly<ImageSpec>;
}

/** "node:20" → "node-20"; "ghcr.io/acme/app:1.2" → "ghcr.io-acme-app-1.2". Stable, for golden files. */
export function nameForRef(ref: string): string {
  const name = ref.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return name || 'image';
}

/**
 * Defines an image. `image({ ref: 'node:20' })` is the same image as the string 'node:20';
 * `image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], copyDir: '.', name: 'tools' })` is built
 * (BuildKit) before the run. Relative paths resolve from `dir` (`import.meta.dirname`), else from the
 * folder of the file calling `image()`. A plugin's kind: `image({ provider: filesKind, params })`, the
 * params typed and checked by the kind's codec.
 * @throws DslError for a non-object or an unknown option; ImageSpecError for a broken rule (names the option).
 */
export function image<P = Record<string, unknown>>(options: ImageOptions<P>): Image {
  if (typeof options !== 'object' || options === null) throw new DslError(`image(): expected an options object like { ref: "node:20" }, got ${String(options)}`, { path: 'image()' });
  for (const key of Object.keys(options)) {
    if (!(IMAGE_OPTION_NAMES as string[]).includes(key)) throw new DslError(`image(): unknown option "${key}"; known options: ${IMAGE_OPTION_NAMES.join(', ')}`, { path: 'image()', option: key });
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '' || options.name.includes('/'))) {
    throw new DslError(`image(): name: expected a non-empty name without "/", got ${JSON.stringify(options.name)}`, { path: 'image()', option: 'name' });
  }
  const o = options as ImageOptions<unknown>;
  const dir = typeof o.dir === 'string' && o.dir !== '' ? o.dir : callerDir();
  const spec = buildImageSpec(o, dir, provisionalName(o, dir));
  const name = options.name ?? deriveImageName(spec, nameForRef);
  return Object.freeze({
    kind: 'caisson.image',
    name,
    derivedName: options.name === undefined,
    options: Object.freeze({ ...o }),
    spec: Object.freeze({ ...spec, name }),
  });
}

/**
 * What errors call an image before its spec exists: its name, else the name it would get (the same
 * derivation as deriveImageName, from the options that have the right type), e.g. "app-dockerfile".
 */
function provisionalName(o: ImageOptions<unknown>, dir: string): string {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  if (str(o.name)) return o.name!;
  const ref = str(o.ref) ?? str(o.image);
  const dockerfile = str(o.dockerfile) && resolve(dir, o.dockerfile!);
  const context = str(o.context) && resolve(dir, o.context!);
  const copyDir = str(o.copyDir) && resolve(dir, o.copyDir!);
  const copyUrl = str(o.copyUrl) && maskUserinfo(o.copyUrl!);
  const provider = str(o.provider) ?? (typeof o.provider === 'object' && o.provider !== null ? str((o.provider as { kind?: unknown }).kind) : undefined);
  const kind = provider ? 'custom' : dockerfile || str(o.dockerfileText) ? 'dockerfile' : copyDir || copyUrl || o.copyRepo || o.installPackages || o.installPip || o.installNpm || o.installDocker ? 'base-reqs' : 'ref';
  if (kind === 'ref' && !ref) return '(unnamed image)';
  const facts = { kind, name: '', dir, ref: ref ?? DEFAULT_BASE_REF, provider, dockerfile, context, copyDir, copyUrl };
  return deriveImageName(facts as unknown as ImageSpec, nameForRef);
}

/** True for values made by `image()`. */
export const isImage = (value: unknown): value is Image =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'caisson.image';

/** The IR spec of an image under a given table name. */
export function imageSpecOf(img: Image, name: string = img.name): ImageSpec {
  return { ...img.spec, name } as ImageSpec;
}
