/**
 * What plugins contribute, slot by slot, and who contributed it. Each slot takes one contribution per
 * key: the slot itself ("runtime"), or for image kinds the kind's name. A second contribution for a key
 * is one error naming both plugins, unless it comes from a child Caisson replacing its parent's.
 * A new kind of contribution (a bundler, a UI) is one field on Plugin and one entry in SLOTS.
 */
import { PluginError } from '../errors.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { Plugin } from './plugin.ts';
import { Tokens } from './tokens.ts';

/** The fields of Plugin that contribute something. */
export type SlotName = Exclude<keyof Plugin, 'name'>;

/** How one slot's contributions are checked, keyed and registered. */
interface Slot {
  /** The DI token it is registered under; none for image kinds, which the image service's table takes as data. */
  readonly token: symbol | undefined;
  /** Whether the field takes a list of items (image kinds) rather than one. */
  readonly list: boolean;
  /** What an item is, for messages ("a RuntimeProvider"). */
  readonly what: string;
  /** Methods an item must have: a cheap check that the right thing was given. */
  readonly methods: readonly string[];
  /** The key an item occupies and its words in messages: the slot, or `image kind "git"`. */
  key(item: Record<string, unknown>): { key: string; words: string };
}

const single = (name: SlotName, token: symbol, what: string, methods: string[], words: string): [SlotName, Slot] =>
  [name, { token, list: false, what, methods, key: () => ({ key: name, words }) }];

/** Every slot, in the order they are reported. */
export const SLOTS: ReadonlyMap<SlotName, Slot> = new Map([
  single('runtime', Tokens.Runtime, 'a RuntimeProvider', ['open'], 'a runtime'),
  single('clock', Tokens.Clock, 'a Clock', ['now', 'setTimer', 'clearTimer'], 'a clock'),
  single('imageBuilder', Tokens.ImageBuilder, 'an ImageBuilder', ['build', 'inspect', 'runProbe'], 'an image builder'),
  ['imageKinds', {
    token: undefined, list: true, what: 'an image kind (defineImageKind)', methods: ['plan'],
    key: (item) => ({ key: `imageKinds:${String(item.kind)}`, words: `image kind "${String(item.kind)}"` }),
  }],
  single('nativeBundler', Tokens.NativeBundler, 'a NativeBundler', ['bundle'], 'a native bundler'),
]);

/** The fields a plugin may contribute through, in the order they are reported. */
export const PLUGIN_SLOTS: readonly SlotName[] = [...SLOTS.keys()];

/** One contribution and the plugin it came from. */
export interface Contribution {
  /** Which slot it fills. */
  readonly slot: SlotName;
  /** What was contributed (a provider, a clock…). */
  readonly value: unknown;
  /** The contributing plugin's name. */
  readonly plugin: string;
}

/** Contributions by key ("runtime", "imageKinds:git"), in the order they were made. */
export type Contributions = ReadonlyMap<string, Contribution>;

const fail = (plugin: string, slot: string | undefined, message: string): never => {
  throw new PluginError(`plugin "${plugin}": ${message}`, { plugins: [plugin], ...(slot !== undefined && { slot }) });
};

/** The items of one plugin, each with its key; throws PluginError naming the plugin on anything malformed. */
function itemsOf(plugin: Plugin): Array<{ slot: SlotName; value: Record<string, unknown>; key: string; words: string }> {
  const name = plugin.name;
  const out = [];
  for (const [field, given] of Object.entries(plugin)) {
    if (field === 'name' || given === undefined) continue;
    if (field === 'register') fail(name, undefined, 'register(container) is no longer how a plugin contributes; give what it has as fields instead: { name, runtime }, { name, imageKinds: [kind] }, { name, imageBuilder }, { name, clock }');
    const slot = SLOTS.get(field as SlotName);
    if (!slot) fail(name, field, `unknown field "${field}"; a plugin has a name and any of: ${[...SLOTS.keys()].join(', ')}`);
    if (slot!.list && !Array.isArray(given)) fail(name, field, `${field}: expected a list of ${slot!.what.replace(/^an? /, '')}s, got ${renderValue(given)}`);
    for (const item of (slot!.list ? given : [given]) as unknown[]) {
      const missing = slot!.methods.filter((m) => typeof (item as Record<string, unknown> | null)?.[m] !== 'function');
      if (typeof item !== 'object' || item === null || missing.length) {
        fail(name, field, `${field}: expected ${slot!.what} (an object with ${slot!.methods.join(', ')}), got ${typeof item === 'object' && item !== null ? `an object without ${missing.join(', ')}` : renderValue(item)}`);
      }
      if (field === 'imageKinds' && typeof (item as { kind?: unknown }).kind !== 'string') fail(name, field, `imageKinds: an image kind has no kind name (expected a string like "files"), got ${renderValue((item as { kind?: unknown }).kind)}`);
      out.push({ slot: field as SlotName, value: item as Record<string, unknown>, ...slot!.key(item as Record<string, unknown>) });
    }
  }
  return out;
}

/**
 * Collects what `plugins` contribute on top of `inherited` (a parent Caisson's): a key one of these
 * plugins fills replaces the inherited contribution; two of these plugins for one key is a PluginError
 * naming both.
 */
export function collectContributions(plugins: readonly Plugin[], inherited: Contributions = new Map()): Contributions {
  const mine = new Map<string, Contribution>();
  for (const plugin of plugins) {
    if (typeof plugin !== 'object' || plugin === null || typeof plugin.name !== 'string' || plugin.name === '') {
      throw new PluginError(`createCaisson: expected plugins as objects with a name, like { name: "runtime-mine", runtime }, got ${renderValue(plugin)}`, { plugins: [] });
    }
    for (const { slot, value, key, words } of itemsOf(plugin)) {
      const first = mine.get(key);
      if (first) {
        const both = [first.plugin, plugin.name];
        throw new PluginError(first.plugin === plugin.name
          ? `plugin "${plugin.name}" contributes ${words} twice; is it in the plugin list twice?`
          : `plugins "${first.plugin}" and "${plugin.name}" both contribute ${words}; keep only one of them in createCaisson({ plugins })`,
        { plugins: both, slot, ...(slot === 'imageKinds' && { kind: String(value.kind) }) });
      }
      mine.set(key, { slot, value, plugin: plugin.name });
    }
  }
  return new Map([...inherited, ...mine]);
}
