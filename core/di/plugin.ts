import type { DependencyContainer } from 'tsyringe';
import type { ImageKind } from '../image/kind.ts';

/**
 * A plugin: a named plain object that contributes what it has. Image kinds are a field
 * (`imageKinds: [filesKind]`); runtimes and the image builder are registered under Caisson's tokens.
 *
 * ```ts
 * export const myRuntime = (): Plugin => ({
 *   name: 'runtime-mine',
 *   register: (c) => c.register(Tokens.Runtime, { useValue: new MyRuntimeProvider() }),
 * });
 * export const filesImages = (): Plugin => ({ name: 'image-files', imageKinds: [filesKind] });
 * ```
 */
export interface Plugin {
  /** Shown in errors raised while the plugin registers. */
  readonly name: string;
  /** The image kinds this plugin adds (one module per kind name across all plugins). */
  readonly imageKinds?: readonly ImageKind[];
  /** Registers this plugin's providers in the container (`c.register(Tokens.X, { useValue | useFactory })`). */
  register?(container: DependencyContainer): void;
}
