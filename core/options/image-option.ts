/**
 * The `image` and `imageName` options' own parts: how the DSL reads an image (a reference string or an
 * image() value) and the compile rule that turns a node's image or imageName into a key of the
 * pipeline's images table, inherited from the parent when the node sets neither.
 */
import { DslError } from '../errors.ts';
import { DEFAULT_IMAGE, image as makeImage, isImage, type Image } from '../dsl/image.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { CompileScope } from './option.ts';
import type { Checked } from './rules.ts';

/** Reads a user's image: an image() value as is, a non-blank string as `image({ ref })`. */
export function readImage(value: unknown): Checked<Image> {
  if (isImage(value)) return { ok: true, value };
  if (typeof value === 'string' && value.trim() !== '') return { ok: true, value: makeImage({ ref: value }) };
  return { ok: false, field: '', message: `expected a Docker reference like "node:20" or an image({...}) value, got ${renderValue(value)}` };
}

/**
 * The images-table key a node runs in: its own image (added to the table), the image registered under
 * its imageName, or the parent's. The root inherits "" and, setting neither, gets the default image.
 * @throws DslError for an imageName that no node sets or registers.
 */
export function resolveImage(own: Image | undefined, parent: string, scope: CompileScope): string {
  if (own) return scope.images.add(own, scope.at);
  const imageName = scope.own.imageName;
  if (typeof imageName !== 'string') return parent || scope.images.add(makeImage({ ref: DEFAULT_IMAGE.ref, name: DEFAULT_IMAGE.name }), scope.at);
  if (!scope.images.has(imageName)) {
    const known = scope.images.names().filter((n) => n !== DEFAULT_IMAGE.name);
    throw new DslError(`${scope.at}: imageName: no image named "${imageName}" in this pipeline (known: ${known.length ? known.join(', ') : 'none'}); register it with registerImage(image({ ref, name })) or set image instead`, { path: scope.at, option: 'imageName' });
  }
  return imageName;
}
