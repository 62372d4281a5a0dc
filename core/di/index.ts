export type { Plugin } from './plugin.ts';
export { createCaisson } from './create-caisson.ts';
export type { Caisson, CaissonOptions } from './create-caisson.ts';
export { PLUGIN_SLOTS } from './slots.ts';
