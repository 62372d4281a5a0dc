/**
 * Turns io-ts validation errors into IrProblems: "field.sub: expected …, got …". The node path is
 * supplied by the caller, which walks the tree itself; the io-ts Context below it names the field.
 */
import type * as t from 'io-ts';
import type { IrProblem } from '../errors.ts';

const FRIENDLY: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  UnknownArray: 'an array',
  'Array<string>': 'an array of strings',
  Command: 'a shell script string or an argv array of strings',
};

/** Renders a value for an error message: JSON, shortened ("a function" for a function). */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  let text: string;
  try { text = JSON.stringify(value) ?? String(value); } catch { text = String(value); }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Message for one failed field: the codec's own message when it has one, else "expected <type>". */
export function describeExpected(type: t.Decoder<unknown, unknown>): string {
  const name = type.name;
  if (FRIENDLY[name]) return `expected ${FRIENDLY[name]}`;
  if (name.startsWith('"')) return `expected ${name}`;
  return `expected ${name}`;
}

/**
 * Converts the errors of one shallow decode. `prefix` is prepended to the field (e.g. "images.base").
 * A union (Command) is reported once, at the union, with what the whole union accepts.
 */
export function toProblems(errors: t.Errors, path: string, prefix = ''): IrProblem[] {
  const seen = new Set<string>();
  const out: IrProblem[] = [];
  for (const error of errors) {
    let entries = error.context.slice(1);
    const unionAt = entries.findIndex((entry) => (entry.type as { _tag?: string })._tag === 'UnionType');
    if (unionAt >= 0) entries = entries.slice(0, unionAt + 1);
    // An intersection names its members by index ("services.0.1.wait"): not a field, left out.
    const isIntersection = (type: unknown) => {
      const tagged = type as { _tag?: string; type?: { _tag?: string } };
      return tagged._tag === 'IntersectionType' || (tagged._tag === 'ExactType' && tagged.type?._tag === 'IntersectionType');
    };
    const keys = entries.filter((_entry, i) => i === 0 || !isIntersection(entries[i - 1]!.type)).map((entry) => entry.key);
    const field = [prefix, ...keys].filter((k) => k !== '').join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    const last = entries[entries.length - 1];
    const expected = unionAt >= 0 || !error.message ? (last ? describeExpected(last.type) : 'invalid') : error.message;
    const value = unionAt >= 0 ? last?.actual : error.value;
    out.push({ path, field, message: `${expected}, got ${renderValue(value)}` });
  }
  return out;
}
