import type { Clock } from '../engine/clock.ts';
import type { ImageBuilder } from '../image/contract.ts';
import type { ImageKind } from '../image/kind.ts';
import type { RuntimeProvider } from '../runtime/contract.ts';
import type { NativeBundler } from '../native/contract.ts';

/**
 * A plugin: a named plain object with what it contributes. Runtime backends (`dockerRuntime()`,
 * `fakeRuntime()`), the BuildKit builder and image kinds are plugins; a plugin may contribute several
 * things at once (the fake runtime brings its runtime and its virtual clock). No DI container is handed
 * to plugins: createCaisson wires what they contribute.
 *
 * ```ts
 * export const myRuntime = (): Plugin => ({ name: 'runtime-mine', runtime: new MyRuntimeProvider() });
 * export const filesImages = (): Plugin => ({ name: 'image-files', imageKinds: [filesKind] });
 * ```
 *
 * Each slot takes one contribution per Caisson (one runtime, one clock, one builder, one provider per
 * image kind); two plugins contributing to one slot is one error naming both. A child Caisson
 * (`createCaisson({ parent, plugins })`) replaces its parent's contributions slot by slot.
 */
export interface Plugin {
  /** Names the plugin in errors (two plugins for one slot, a bad contribution). */
  readonly name: string;
  /** The RuntimeProvider that runs containers; exactly one per Caisson. */
  readonly runtime?: RuntimeProvider;
  /** The clock the engine reads; default: the system clock (the fake runtime brings a virtual one). */
  readonly clock?: Clock;
  /** Image kinds, one module each (defineImageKind; `kind` names it); a kind two plugins add is an error. */
  readonly imageKinds?: readonly ImageKind[];
  /** The ImageBuilder that runs builds and probes (buildkit()); at most one. */
  readonly imageBuilder?: ImageBuilder;
  /** The NativeBundler that bundles native functions for containers (nativeBundle()); at most one. */
  readonly nativeBundler?: NativeBundler;
}
