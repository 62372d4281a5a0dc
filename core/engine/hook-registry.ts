/**
 * The host functions hooks call, by name (`defineHook`). Kept on globalThis under a Symbol.for key, so
 * a pipeline file that imports a second copy of the package registers where the engine looks.
 */
import { DslError } from '../errors.ts';

/** What a hook function gets: the event's payload (see HookPayload) and its JSON args. */
export type HookFunction<A = unknown> = (payload: HookPayload, args: A) => void | Promise<void>;

/**
 * What every hook is told, as JSON (a webhook's body, a host command's stdin, a function's first
 * argument): which run, which node, which event of which attempt, and how the node stands.
 */
export interface HookPayload {
  /** The event: done, error, killed, retry or stateChange. */
  event: string;
  /** The run's id and pipeline name. */
  runId: string;
  pipeline: string;
  /** The node's path. */
  path: string;
  /** The node's attempt the event belongs to (for retry: the attempt that failed). */
  attempt: number;
  /** The node's state after the event, and before it. */
  state: string;
  previous?: string;
  /** Why it is in that state, its exit code and failure class, when known. */
  reason?: string;
  exitCode?: number;
  failure?: string;
  /** For retry: the coming try, of how many, after how long. */
  retry?: { attempt: number; of: number; delayMs: number };
  /** When it happened (ISO 8601, engine clock). */
  at: string;
  /** Where the hook was declared (an ancestor for an inherited hook). */
  from: string;
}

const KEY = Symbol.for('caisson.hook-functions');
const registry = (): Map<string, HookFunction> => {
  const g = globalThis as { [KEY]?: Map<string, HookFunction> };
  return (g[KEY] ??= new Map());
};

/** Registers `fn` under `name`; registering the same function again is fine, another one under a taken name is refused. */
export function registerHook(name: string, fn: HookFunction): void {
  if (typeof name !== 'string' || !name.trim()) throw new DslError(`defineHook: expected a name, got ${JSON.stringify(name)}`, { path: 'defineHook()', option: 'name' });
  if (typeof fn !== 'function') throw new DslError(`defineHook("${name}"): expected a function`, { path: 'defineHook()', option: 'fn' });
  const existing = registry().get(name);
  // A pipeline file loaded twice (the CLI type-checks, then imports) registers a new closure each time: the latest wins.
  if (existing && existing.toString() !== fn.toString()) throw new DslError(`defineHook: a different hook function is already registered as "${name}"; give this one another name`, { path: 'defineHook()', option: 'name' });
  registry().set(name, fn);
}

/** The function registered as `name`, if any. */
export const hookFunction = (name: string): HookFunction | undefined => registry().get(name);
