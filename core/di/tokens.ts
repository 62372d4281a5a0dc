/**
 * Injection tokens. Symbols, so two copies of a token can never collide by name; every registration
 * and every `@inject` in Caisson goes through one of these.
 */
export const Tokens = {
  /** The RuntimeProvider that runs containers (exactly one). */
  Runtime: Symbol.for('caisson.Runtime'),
  /** The Clock the engine reads (system clock unless a test swaps in a virtual one). */
  Clock: Symbol.for('caisson.Clock'),
  /** EngineOptions (capacity). */
  EngineOptions: Symbol.for('caisson.EngineOptions'),
  /** The ImageBuilder that runs builds and probes (the buildkit plugin; at most one). */
  ImageBuilder: Symbol.for('caisson.ImageBuilder'),
} as const;
