import type { DependencyContainer } from 'tsyringe';

/**
 * A plugin: a named plain object that registers providers under Caisson's tokens. Runtime backends
 * (`dockerRuntime()`, `fakeRuntime()`) are plugins; so are image providers.
 *
 * ```ts
 * export const myRuntime = (): Plugin => ({
 *   name: 'runtime-mine',
 *   register: (c) => c.register(Tokens.Runtime, { useValue: new MyRuntimeProvider() }),
 * });
 * ```
 */
export interface Plugin {
  /** Shown in errors raised while the plugin registers. */
  readonly name: string;
  /** Registers this plugin's providers in the container (`c.register(Tokens.X, { useValue | useFactory })`). */
  register(container: DependencyContainer): void;
}
