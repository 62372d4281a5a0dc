/**
 * How an Exec's work reads in one line, for pretty(), `caisson show`, the live tree and the UI: its
 * command, or for a native call `fn build(2, {"to":"prod"}) from ./pipeline.ts` (arguments as tagged JSON,
 * cut to a readable length).
 */
import type { ExecNode, NativeCall } from './codecs.ts';
import { shellJoin } from './shell-quote.ts';

const ARGS_SHOWN = 80;

/**
 * A tagged-JSON value (core/native/tagged-json.ts) as a person reads it: JSON, except that the values JSON
 * lacks read as in JavaScript (`5n`, `Date(2026-05-01T00:00:00.000Z)`, `Map{"a" => 1}`, `Set[1, 2]`,
 * `Uint8Array(12 bytes)`, `undefined`, `NaN`) instead of as their `{"$caisson": …}` wrappers.
 */
export function taggedText(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(taggedText).join(',')}]`;
  const o = value as Record<string, unknown>;
  if (typeof o.$caisson === 'string' && Object.keys(o).every((k) => k === '$caisson' || k === 'v')) {
    const v = o.v;
    switch (o.$caisson) {
      case 'bigint': return `${String(v)}n`;
      case 'date': return `Date(${String(v)})`;
      case 'number': return String(v);
      case 'undefined': return 'undefined';
      case 'map': return `Map{${(Array.isArray(v) ? v as unknown[][] : []).map(([k, x]) => `${taggedText(k)} => ${taggedText(x)}`).join(', ')}}`;
      case 'set': return `Set[${(Array.isArray(v) ? v : []).map(taggedText).join(', ')}]`;
      case 'bytes': case 'buffer': return `${o.$caisson === 'buffer' ? 'Buffer' : 'Uint8Array'}(${base64Bytes(String(v))} bytes)`;
      case 'object': return plainObject(v as Record<string, unknown>);
    }
  }
  return plainObject(o);
}

function plainObject(o: Record<string, unknown>): string {
  return `{${Object.entries(o).map(([k, x]) => `${JSON.stringify(k)}:${taggedText(x)}`).join(',')}}`;
}

/** How many bytes a base64 text holds. */
function base64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}

/** `fn NAME(ARGS) from ./MODULE`. */
export function callText(call: NativeCall): string {
  let args = call.args.map(taggedText).join(', ');
  if (args.length > ARGS_SHOWN) args = `${args.slice(0, ARGS_SHOWN - 1)}…`;
  const from = call.module.startsWith('.') || call.module.startsWith('/') ? call.module : `./${call.module}`;
  return `fn ${call.export}(${args}) from ${from}`;
}

/** An Exec's command as one string (argv joined with shell quoting), or its call's text. */
export function execText(node: Pick<ExecNode, 'command' | 'call'>): string {
  if (node.call) return callText(node.call);
  const command = node.command ?? '';
  return typeof command === 'string' ? command : shellJoin(command);
}

const RESULT_SHOWN = 120;

/** A native call's return value (tagged JSON text) as shown beside its node: `returned {"total":6,"big":5n}`, cut to a line. */
export function returnedText(result: string): string {
  let text: string;
  try { text = taggedText(JSON.parse(result)); } catch { text = result; }
  return `returned ${text.length > RESULT_SHOWN ? `${text.slice(0, RESULT_SHOWN - 1)}…` : text}`;
}
