/**
 * The tagged JSON encoding of native-function arguments and return values, shared by the host (the DSL's
 * round-trip check, the fake runtime) and the in-container entry (bundled with the user's module), so both
 * sides read and write exactly the same form. Plain JSON values stand for themselves; what JSON cannot hold
 * is an object with one `$caisson` tag: Date, Map, Set, bigint, Uint8Array, Buffer, undefined, NaN and
 * ±Infinity. A plain object that happens to have a `$caisson` key is wrapped (`{ $caisson: "object" }`).
 *
 * This file imports nothing: it is bundled into every native function's container entry.
 */

/** The key that marks a tagged value. */
export const TAG = '$caisson';

/** One value the encoding cannot carry: where it is (`args[1].when.fn`) and why. */
export interface EncodeProblem {
  /** The value's path from the root name given to encodeTagged. */
  path: string;
  /** What is wrong and what to pass instead. */
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const keyPath = (path: string, key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/** Why `value` (not a plain value) cannot be passed, or undefined when it can be encoded. */
function refusal(value: unknown): string | undefined {
  if (typeof value === 'function') return `a function cannot be passed to or returned from a native function (only data crosses into the container); pass the data it works on, or export the function and call it there`;
  if (typeof value === 'symbol') return 'a symbol cannot be passed to or returned from a native function';
  return undefined;
}

/**
 * Encodes `value` as tagged JSON, collecting every value it cannot carry (functions, symbols, class
 * instances, cycles) with its path. `root` names the value in paths (`args`, `result`).
 */
export function encodeTagged(value: unknown, root: string): { json: Json; problems: EncodeProblem[] } {
  const problems: EncodeProblem[] = [];
  const open = new Map<object, string>();
  const enc = (v: unknown, path: string): Json => {
    const refused = refusal(v);
    if (refused) { problems.push({ path, message: refused }); return null; }
    if (v === undefined) return { [TAG]: 'undefined' };
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { [TAG]: 'number', v: String(v) };
    if (typeof v === 'bigint') return { [TAG]: 'bigint', v: v.toString() };
    const o = v as object;
    const seen = open.get(o);
    if (seen !== undefined) { problems.push({ path, message: `a cycle: this refers back to ${seen}; pass a tree of values, not a graph` }); return null; }
    open.set(o, path);
    try {
      if (o instanceof Date) return { [TAG]: 'date', v: Number.isNaN(o.getTime()) ? 'invalid' : o.toISOString() };
      if (typeof Buffer !== 'undefined' && Buffer.isBuffer(o)) return { [TAG]: 'buffer', v: o.toString('base64') };
      if (o instanceof Uint8Array) return { [TAG]: 'bytes', v: toBase64(o) };
      if (o instanceof Map) return { [TAG]: 'map', v: [...o].map(([k, x], i) => [enc(k, `${path}.keys[${i}]`), enc(x, `${path}.get(${describeKey(k)})`)]) };
      if (o instanceof Set) return { [TAG]: 'set', v: [...o].map((x, i) => enc(x, `${path}.values[${i}]`)) };
      if (Array.isArray(o)) return o.map((x, i) => enc(x, `${path}[${i}]`));
      const proto = Object.getPrototypeOf(o) as object | null;
      if (proto !== Object.prototype && proto !== null) {
        const name = (o as { constructor?: { name?: string } }).constructor?.name || 'class';
        problems.push({ path, message: `a ${name} instance cannot be passed to or returned from a native function (only plain objects, arrays, Date, Map, Set, bigint, Uint8Array and Buffer round-trip); pass its data as a plain object` });
        return null;
      }
      const out: { [key: string]: Json } = {};
      for (const [k, x] of Object.entries(o)) out[k] = enc(x, keyPath(path, k));
      return Object.hasOwn(out, TAG) ? { [TAG]: 'object', v: out } : out;
    } finally {
      open.delete(o);
    }
  };
  const json = enc(value, root);
  return { json, problems };
}

const describeKey = (k: unknown): string => (typeof k === 'string' ? JSON.stringify(k) : typeof k === 'number' || typeof k === 'boolean' ? String(k) : '…');

/** Decodes tagged JSON (as encodeTagged writes it) back into values. */
export function decodeTagged(json: unknown): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(decodeTagged);
  const o = json as Record<string, unknown>;
  if (!Object.hasOwn(o, TAG)) return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeTagged(v)]));
  const v = o.v;
  switch (o[TAG]) {
    case 'undefined': return undefined;
    case 'number': return Number(v);
    case 'bigint': return BigInt(String(v));
    case 'date': return new Date(v === 'invalid' ? Number.NaN : String(v));
    case 'buffer': return Buffer.from(String(v), 'base64');
    case 'bytes': return fromBase64(String(v));
    case 'map': return new Map((v as unknown[][]).map(([k, x]) => [decodeTagged(k), decodeTagged(x)]));
    case 'set': return new Set((v as unknown[]).map(decodeTagged));
    case 'object': return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, decodeTagged(x)]));
    default: throw new Error(`unknown ${TAG} tag ${JSON.stringify(o[TAG])} (written by a newer caisson?)`);
  }
}

function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  if (typeof Buffer !== 'undefined') { const b = Buffer.from(text, 'base64'); return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice(); }
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
