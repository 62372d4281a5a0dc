/**
 * Hooks in the IR: notifications a node sends on its events. A node's `hooks` hold its *effective*
 * hooks: its own, and those of ancestors that set them `inherited` (resolved at compile time like every
 * option), each with the path it was declared at. What a hook does is data, so it survives `resume`:
 * a registered host function by name plus JSON args, a webhook, a host command, or a command in a
 * container.
 */
import * as t from 'io-ts';
import { Bool, rule, Text } from '../options/rules.ts';
import { taggedUnion } from './tagged-union.ts';

/** The events a hook can be attached to. */
export const HOOK_EVENTS = ['done', 'error', 'killed', 'retry', 'stateChange'] as const;
/** `done`, `error`, `killed` (the node ended so), `retry` (a failed attempt will be tried again), `stateChange` (any state change). */
export type HookEvent = (typeof HOOK_EVENTS)[number];
/** Codec of HookEvent. */
export const HookEvent = rule('HookEvent', `expected one of ${HOOK_EVENTS.map((e) => JSON.stringify(e)).join(', ')}`, (u): u is HookEvent => HOOK_EVENTS.some((e) => e === u));

/** Any JSON value (a host function's args). */
export const Json = rule('Json', 'expected JSON data', (u): u is unknown => {
  try { return JSON.stringify(u) !== undefined; } catch { return false; }
});

const StringOrArgv = t.union([Text, t.array(Text)]);

/** A host function registered with `defineHook(name, fn)`, by name, with its JSON args. */
export const FunctionHook = t.exact(t.type({ kind: t.literal('function'), name: Text, args: Json }), 'FunctionHook');
/** A JSON POST of the event's payload to `url`. */
export const WebhookHook = t.exact(t.intersection([t.type({ kind: t.literal('webhook'), url: Text }), t.partial({ headers: t.record(Text, Text) })]), 'WebhookHook');
/** A command run on the host (a string by /bin/sh -c); the payload on stdin and in CAISSON_HOOK_* env. */
export const HostHook = t.exact(t.type({ kind: t.literal('host'), command: StringOrArgv }), 'HostHook');
/** A command run in a container of `image` (a reference) by the run's runtime; the payload in CAISSON_HOOK_* env. */
export const ContainerHook = t.exact(t.type({ kind: t.literal('container'), image: Text, command: StringOrArgv }), 'ContainerHook');

/** What a hook does, tagged on `kind`. */
export const HookAction = taggedUnion('HookAction', { function: FunctionHook, webhook: WebhookHook, host: HostHook, container: ContainerHook });
export type HookAction = t.TypeOf<typeof HookAction>;

/** One hook of a node: the event, what runs, whether descendants inherit it, and where it was declared. */
export const HookSpec = t.exact(t.type({ on: HookEvent, hook: HookAction, inherited: Bool, from: Text }), 'HookSpec');
export type HookSpec = t.TypeOf<typeof HookSpec>;

/** A node's effective hooks. */
export const HookList = t.array(HookSpec, 'HookList');
