/**
 * The image service's table of kinds: one module per name, looked up by the name a spec carries (a
 * plugin kind's `provider`, a built-in spec's `kind`), and the params it hands that module, decoded by
 * the module's codec with the image named in every error. A plain reference (`kind: "ref"`) has no
 * module: it is used as it is.
 */
import type { ImageSpec, RefImage } from '../ir/codecs.ts';
import { decodeImageParams } from '../ir/image-params.ts';
import { PluginError } from '../errors.ts';
import type { ImageKind } from './kind.ts';

/** A spec that must be built (any kind but a plain reference). */
export type BuiltSpec = Exclude<ImageSpec, RefImage>;

/** The kind name of a built spec: a plugin kind's `provider`, else the spec's own `kind`. */
export const kindOf = (spec: BuiltSpec): string => (spec.kind === 'custom' ? spec.provider : spec.kind);

/** Image kinds by name (a second module for one name is a PLUGIN error). */
export class KindTable {
  private readonly byName = new Map<string, ImageKind>();

  /** @param kinds one module per name */
  constructor(kinds: readonly ImageKind[]) {
    for (const k of kinds) {
      if (this.byName.has(k.kind)) throw new PluginError(`two image kinds named "${k.kind}" were contributed; give only one`, { plugins: [], slot: 'imageKinds', kind: k.kind });
      this.byName.set(k.kind, k);
    }
  }

  /** The names of the kinds in the table, sorted. */
  names(): string[] { return [...this.byName.keys()].sort(); }

  /**
   * The module for `spec` and its params, decoded.
   * @throws PluginError when no module has its kind; ImageSpecError for params the codec refuses
   */
  lookup(spec: BuiltSpec): { kind: ImageKind; params: unknown } {
    const name = kindOf(spec);
    const kind = this.byName.get(name);
    if (!kind) throw new PluginError(`image "${spec.name}": no image kind "${name}" (have: ${this.names().join(', ') || 'none'}); add its plugin: export it from the pipeline file (export const plugins = [...]) for caisson run, or pass it to createCaisson({ plugins })`, { plugins: [], slot: 'imageKinds', kind: name, image: spec.name });
    const params = spec.kind === 'custom' ? decodeImageParams(kind.params, spec.params, spec.name, 'params') : decodeImageParams(kind.params, spec, spec.name);
    return { kind, params };
  }

  /** Secret names the images of `specs` read while they build (kinds without a module are skipped). */
  secretNames(specs: readonly ImageSpec[]): string[] {
    const names = new Set<string>();
    for (const spec of specs) {
      if (spec.kind === 'ref') continue;
      const kind = this.byName.get(kindOf(spec));
      if (!kind?.secretNames) continue;
      for (const n of kind.secretNames(this.lookup(spec).params)) names.add(n);
    }
    return [...names].sort();
  }
}
