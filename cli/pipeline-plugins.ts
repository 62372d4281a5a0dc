/**
 * Plugins a pipeline file brings along: its optional `plugins` export (an array of Plugin values), e.g.
 * a custom image kind. `caisson run`, `resume`, `rebuild` and `debug` register them beside the built-in
 * ones, so a pipeline that uses a custom kind runs from the command line like any other.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PLUGIN_SLOTS, type Plugin } from '../core/index.ts';
import { UsageError } from './usage-error.ts';
import { importModule } from './import-module.ts';
import { ensureTypeScriptLoader, isTypeScriptFile } from './typescript-loader.ts';

/**
 * A named object that contributes something (a list of image kinds as a list). The shape only:
 * createCaisson checks each contribution and names the plugin when one is wrong.
 */
function isPlugin(p: unknown): p is Plugin {
  if (typeof p !== 'object' || p === null || typeof (p as Plugin).name !== 'string') return false;
  const { imageKinds } = p as { imageKinds?: unknown };
  if (imageKinds !== undefined && !Array.isArray(imageKinds)) return false;
  return PLUGIN_SLOTS.some((slot) => (p as Record<string, unknown>)[slot] !== undefined);
}

/** The `plugins` export of a loaded module (none = []); anything else than an array of plugins is a UsageError. */
export function pluginsOf(mod: Record<string, unknown>, file: string): Plugin[] {
  const value = mod.plugins;
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isPlugin)) {
    throw new UsageError(`${file}: export "plugins" must be an array of plugins ({ name, ${PLUGIN_SLOTS.map((slot) => `${slot}?`).join(', ')} }), e.g. export const plugins = [filesImages()]`, { file, option: 'plugins' });
  }
  return value;
}

/**
 * Imports a recorded run's pipeline file for its `plugins` export. A file that is gone gives none: the
 * run's own IR copy is all the other commands need unless it uses a custom image kind.
 */
export async function loadPipelinePlugins(file: string): Promise<Plugin[]> {
  if (!existsSync(file)) return [];
  let mod: Record<string, unknown>;
  try {
    // As loadPipeline does: an installed caisson has no loader of its own for a .ts file, and a
    // CommonJS project's file goes through require().
    const abs = resolve(file);
    if (isTypeScriptFile(abs)) await ensureTypeScriptLoader();
    mod = await importModule(abs);
  } catch (e) {
    throw new UsageError(`${file}: could not load the pipeline file for its plugins: ${String((e as Error)?.message ?? e).split('\n')[0]}`, { file, cause: e });
  }
  return pluginsOf(mod, file);
}
