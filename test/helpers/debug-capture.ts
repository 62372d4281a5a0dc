/**
 * Runs code with the debug environment set (DEBUG, CAISSON_DEBUG) and returns what went to stderr
 * meanwhile; both variables are put back afterwards, whatever happens.
 */
type DebugEnv = { DEBUG?: string; CAISSON_DEBUG?: string };
const KEYS = ['DEBUG', 'CAISSON_DEBUG'] as const;

const apply = (env: DebugEnv): void => {
  for (const k of KEYS) { if (env[k] === undefined) delete process.env[k]; else process.env[k] = env[k]; }
};

/** Runs `fn` with exactly `env` as the debug environment; resolves to the captured stderr text. */
export async function debugOutput(env: DebugEnv, fn: () => unknown): Promise<string> {
  const saved = { DEBUG: process.env.DEBUG, CAISSON_DEBUG: process.env.CAISSON_DEBUG };
  const write = process.stderr.write;
  let out = '';
  apply(env);
  process.stderr.write = ((chunk: string | Uint8Array) => { out += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
    apply(saved);
  }
  return out;
}
