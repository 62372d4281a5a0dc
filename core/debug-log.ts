/**
 * Debug lines for a user chasing a problem: what Caisson asked Docker, what it built and why, how the
 * scheduler decided, how each image resolved. Off unless asked for, by the `debug` package's convention
 * (`DEBUG=caisson:*`, or `DEBUG=caisson:docker,caisson:engine`; a `-` prefix excludes) or by
 * `CAISSON_DEBUG=1` (or `*`: all of Caisson; a list such as `CAISSON_DEBUG=docker,build` picks namespaces).
 * Lines go to stderr: `<ISO time> caisson:<namespace> <message> key=value…`. Callers pass names, paths,
 * references and ids, never environment values; and because a message or an error text may still hold
 * a secret, every line goes through the masks of the runs in progress (`maskDebugLines`) and through
 * `maskUrlPasswords` (a password or token in any URL) before it is written.
 */
import { maskUrlPasswords } from './secrets/url-userinfo.ts';

/** A namespace's logger: call it with a message and optional fields; `enabled` says whether it prints. */
export interface DebugLog {
  (message: string, fields?: Record<string, unknown>): void;
  /** Whether this namespace prints now; check it before building costly fields on hot paths. */
  readonly enabled: boolean;
  /** The full namespace ("caisson:engine"). */
  readonly namespace: string;
}

// The patterns, parsed again only when the environment changes (tests switch it on and off).
let parsedFor: string | undefined;
let patterns: Array<{ re: RegExp; exclude: boolean }> = [];

function enabledNow(namespace: string): boolean {
  const flag = process.env.CAISSON_DEBUG;
  const spec = [
    process.env.DEBUG ?? '',
    flag === undefined || flag === '' || flag === '0' ? '' : flag === '1' || flag === 'true' ? 'caisson:*' : flag.split(/[\s,]+/).map((n) => `caisson:${n}`).join(','),
  ].join(',');
  if (spec !== parsedFor) {
    parsedFor = spec;
    patterns = spec.split(/[\s,]+/).filter(Boolean).map((p) => {
      const exclude = p.startsWith('-');
      const glob = (exclude ? p.slice(1) : p).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      return { re: new RegExp(`^${glob}$`), exclude };
    });
  }
  return patterns.some((p) => !p.exclude && p.re.test(namespace)) && !patterns.some((p) => p.exclude && p.re.test(namespace));
}

// The masks of the runs in progress: a line is written only after each of them has had it.
const masks = new Set<(text: string) => string>();

/**
 * Masks every debug line with `scrub` (a run's secret masker) until the returned function is called.
 * A run registers its masker for as long as it executes, so a plugin's careless debug line still shows
 * `***` where one of the run's secret values would be.
 */
export function maskDebugLines(scrub: (text: string) => string): () => void {
  const mine = (text: string) => scrub(text); // a fresh function: the same scrub registered twice is two entries
  masks.add(mine);
  return () => { masks.delete(mine); };
}

const render = (value: unknown): string => (typeof value === 'string' && !/[\s"=]/.test(value) && value !== '' ? value : JSON.stringify(value));

/** The logger of `caisson:<name>`. */
export function debugLog(name: string): DebugLog {
  const namespace = `caisson:${name}`;
  const log = ((message: string, fields?: Record<string, unknown>) => {
    if (!enabledNow(namespace)) return;
    const rest = fields ? Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}=${render(v)}`).join('') : '';
    let line = `${namespace} ${message}${rest}`;
    for (const mask of masks) line = mask(line);
    process.stderr.write(`${new Date().toISOString()} ${maskUrlPasswords(line)}\n`);
  }) as DebugLog;
  Object.defineProperty(log, 'enabled', { get: () => enabledNow(namespace) });
  Object.defineProperty(log, 'namespace', { value: namespace });
  return log;
}
