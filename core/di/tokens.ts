/**
 * Injection tokens, internal to core/di: createCaisson registers each plugin contribution under its
 * slot's token (slots.ts) and resolves the engine and image service from them. Symbols, so two copies
 * of a token can never collide by name.
 */
export const Tokens = {
  /** The RuntimeProvider that runs containers (exactly one). */
  Runtime: Symbol.for('caisson.Runtime'),
  /** The Clock the engine reads (system clock unless a plugin contributes one). */
  Clock: Symbol.for('caisson.Clock'),
  /** EngineOptions (capacity). */
  EngineOptions: Symbol.for('caisson.EngineOptions'),
  /** The ImageBuilder that runs builds and probes (the buildkit plugin; at most one). */
  ImageBuilder: Symbol.for('caisson.ImageBuilder'),
  /** The NativeBundler for native functions (the native-bundle plugin; at most one). */
  NativeBundler: Symbol.for('caisson.NativeBundler'),
} as const;
