/**
 * Loading a user's TypeScript pipeline file: tsx transforms it on import. Registered once, and only
 * when a TypeScript file is loaded, so commands on JavaScript pipelines or on records never pay for it.
 * Both of tsx's hooks go in: the ESM one for ES modules, the CommonJS one for `.cts` files and `.ts`
 * files in a `"type": "commonjs"` project, which Node loads through require().
 */
const REGISTERED = Symbol.for('caisson.tsx-registered');

type Flagged = typeof globalThis & { [REGISTERED]?: boolean };

/** True for the extensions that need a TypeScript loader. */
export const isTypeScriptFile = (file: string): boolean => /\.(c|m)?ts$/.test(file);

/** Registers tsx's ESM and CommonJS hooks, at most once per process. */
export async function ensureTypeScriptLoader(): Promise<void> {
  const g = globalThis as Flagged;
  if (g[REGISTERED]) return;
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
  g[REGISTERED] = true;
}
