/**
 * The images table a compile builds: every image set on a node or registered, keyed by name.
 * One name, one definition: a second, different definition under a chosen name is an
 * ImageConflictError; a *derived* name ("node-20") that clashes gets a short hash suffix instead,
 * since the user never chose it.
 */
import type { ImageSpec } from '../ir/codecs.ts';
import { canonicalJson } from '../ir/canonical-json.ts';
import { ImageConflictError } from '../errors.ts';
import { imageSpecOf, type Image } from './image.ts';

interface Entry { spec: ImageSpec; canonical: string; where: string }

/** FNV-1a, 32 bit, as 8 hex digits: short, stable names; not a security hash. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

const describe = (spec: ImageSpec): string => (spec.kind === 'ref' ? `ref "${spec.ref}"` : canonicalJson(spec));

/**
 * Collects a pipeline's images during one compile and names each one, refusing two different
 * definitions under one chosen name.
 */
export class ImageTable {
  private readonly entries = new Map<string, Entry>();
  private readonly resolved = new Map<Image, string>();

  /** Adds an image found at `where` (node path) and returns the name nodes refer to it by. */
  add(img: Image, where: string): string {
    const known = this.resolved.get(img);
    if (known !== undefined) return known;
    const name = this.addSpec(img, where);
    this.resolved.set(img, name);
    return name;
  }

  private addSpec(img: Image, where: string): string {
    const spec = imageSpecOf(img);
    const canonical = canonicalJson({ ...spec, name: undefined });
    const existing = this.entries.get(spec.name);
    if (!existing) return this.put(spec, canonical, where);
    if (existing.canonical === canonical) return spec.name;
    if (img.derivedName) {
      const alternative = `${spec.name}-${shortHash(canonical)}`;
      const other = this.entries.get(alternative);
      if (!other) return this.put({ ...spec, name: alternative }, canonical, where);
      if (other.canonical === canonical) return alternative;
    }
    throw new ImageConflictError(spec.name, `${describe(existing.spec)} at ${existing.where} and ${describe(spec)} at ${where}`);
  }

  private put(spec: ImageSpec, canonical: string, where: string): string {
    this.entries.set(spec.name, { spec, canonical, where });
    return spec.name;
  }

  /** True when an image of this name is in the table. */
  has(name: string): boolean { return this.entries.has(name); }

  /** The definition under `name`, if any. */
  spec(name: string): ImageSpec | undefined { return this.entries.get(name)?.spec; }

  /** Names in the table, sorted. */
  names(): string[] { return [...this.entries.keys()].sort(); }

  /** The table as the IR holds it (keys sorted). */
  toRecord(): Record<string, ImageSpec> {
    const out: Record<string, ImageSpec> = {};
    for (const name of this.names()) out[name] = this.entries.get(name)!.spec;
    return out;
  }
}
