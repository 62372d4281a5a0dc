/**
 * Hooks as users write them: `.on(event, hook, { inherited })` on any builder, with a hook made by
 * `webhook(url)`, `hostCommand(command)`, `containerHook(image, command)` or a host function registered
 * with `defineHook(name, fn)`. A hook is data (what the IR stores), so a resumed run fires the same hooks;
 * a host function is found again by its name (core/engine/hook-registry.ts).
 */
import { DslError } from '../errors.ts';
import { HookAction, HookEvent, HOOK_EVENTS, type HookEvent as HookEventName } from '../ir/hook-codecs.ts';
import { renderValue } from '../ir/validation-errors.ts';
import { check } from '../options/rules.ts';
import { registerHook, type HookFunction } from '../engine/hook-registry.ts';
import { normalizeCommand } from './defs.ts';

/** A hook value: what `.on()` takes. */
export type Hook = HookAction;

/** Options of `.on()`. */
export interface OnOptions {
  /** Also fire for every node under this one, each for its own events (default false: this node only). */
  inherited?: boolean;
}

/** @internal A hook as a definition keeps it. */
export interface HookDef { readonly on: HookEventName; readonly hook: Hook; readonly inherited: boolean }

/**
 * A JSON POST of the event's payload (HookPayload) to `url`, with `headers` (e.g. an auth token) added.
 * A non-2xx answer, or none within 10 s, is the hook's failure.
 */
export function webhook(url: string, options: { headers?: Record<string, string> } = {}): Hook {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new DslError(`webhook: expected an http:// or https:// URL, got ${renderValue(url)}`, { path: 'webhook()', option: 'url' });
  return { kind: 'webhook', url, ...(options.headers && { headers: { ...options.headers } }) };
}

/** A command run on the host where the run runs (a string by `/bin/sh -c`): the payload as JSON on stdin and in CAISSON_HOOK_* env. */
export function hostCommand(command: string | string[]): Hook {
  return { kind: 'host', command: normalizeCommand(command, 'hostCommand()') };
}

/** A command run in a fresh container of `image` (a reference) by the run's runtime, the payload in CAISSON_HOOK_* env. */
export function containerHook(image: string, command: string | string[]): Hook {
  if (typeof image !== 'string' || !image.trim()) throw new DslError(`containerHook: expected an image reference, got ${renderValue(image)}`, { path: 'containerHook()', option: 'image' });
  return { kind: 'container', image, command: normalizeCommand(command, 'containerHook()') };
}

/**
 * Registers a host function hook under `name` and returns its maker: `notify(args)` is a hook that calls
 * `fn(payload, args)` (args: JSON data, stored in the IR). Call defineHook where the pipeline file loads,
 * so a resumed run (which loads the file again to find it) has it too. Names are unique per process.
 */
export function defineHook<A = undefined>(name: string, fn: HookFunction<A>): (args?: A) => Hook {
  registerHook(name, fn as HookFunction<unknown>);
  return (args?: A) => {
    let json: unknown;
    try { json = args === undefined ? null : JSON.parse(JSON.stringify(args)); } catch (e) {
      // JSON's own words say what is wrong (a BigInt, a cycle); the value itself would print as [object Object].
      throw new DslError(`hook "${name}": its args must be JSON data (${(e as Error).message.split('\n')[0]})`, { path: `hook ${name}`, option: 'args' });
    }
    return { kind: 'function', name, args: json };
  };
}

/** @internal Checks `.on()` arguments found at `where`. */
export function hookDef(event: unknown, hook: unknown, options: unknown, where: string): HookDef {
  const fail = (option: string, message: string): never => { throw new DslError(`${where}: on(): ${option}: ${message}`, { path: where, option: `on.${option}` }); };
  const e = check(HookEvent, event);
  if (!e.ok) fail('event', `expected one of ${HOOK_EVENTS.map((x) => JSON.stringify(x)).join(', ')}, got ${renderValue(event)}`);
  const h = check(HookAction, hook);
  if (!h.ok) fail('hook', 'expected a hook made by webhook(), hostCommand(), containerHook() or a defineHook() maker');
  const o = (options ?? {}) as { inherited?: unknown };
  if (o.inherited !== undefined && typeof o.inherited !== 'boolean') fail('inherited', `expected true or false, got ${renderValue(o.inherited)}`);
  return { on: event as HookEventName, hook: hook as Hook, inherited: o.inherited === true };
}
