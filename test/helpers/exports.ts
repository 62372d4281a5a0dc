/**
 * The package's public surface as the sources declare it: the entry files package.json's `exports` map
 * names, and every name each one makes public, followed through re-exports to its declaration.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** A path relative to the repository root. */
export const rel = (p: string): string => relative(ROOT, p);

/** Package entry ("." or "./testing") → its TypeScript source, from the exports map's "caisson-source" condition. */
export function entrySources(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
  const out: Record<string, string> = {};
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'object' && target['caisson-source']) out[entry] = join(ROOT, target['caisson-source']);
  }
  return out;
}

/** The entry files, sorted. */
export const entryFiles = (): string[] => [...new Set(Object.values(entrySources()))].sort();

/** Start of an exported declaration, up to its name. */
export const DECL = String.raw`^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|function\*?|const|let|var|interface|type|enum)\s+`;
const NAMED_REEXPORT = /^export\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](\.[^'"]+)['"]/gm;
const STAR_REEXPORT = /^export\s+\*\s+from\s*['"](\.[^'"]+)['"]/gm;

/** One name a module makes public, and the file that should declare it. */
export interface Exported {
  /** The name as the entry exports it. */
  name: string;
  /** The name at its declaration (differs when re-exported `as` another name). */
  declared: string;
  /** "type" for interfaces, type aliases and `export type { … }`; "value" otherwise. */
  kind: 'type' | 'value';
  /** The file that declares it. */
  file: string;
  /** The entry it was reached from. */
  via: string;
}

/** Every name `file` exports, resolved to the file that declares it (through re-exports). */
export function publicNames(file: string, wanted: string | undefined, via: string, seen = new Set<string>()): Exported[] {
  return declarations(file, wanted, via, seen);
}

function declarations(file: string, wanted: string | undefined, via: string, seen: Set<string>): Exported[] {
  const key = `${file}#${wanted ?? '*'}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const text = readFileSync(file, 'utf8');
  const out: Exported[] = [];
  for (const m of text.matchAll(STAR_REEXPORT)) {
    out.push(...declarations(resolve(dirname(file), m[1]!), wanted, via, seen));
  }
  for (const m of text.matchAll(NAMED_REEXPORT)) {
    const target = resolve(dirname(file), m[3]!);
    for (const part of m[2]!.split(',')) {
      const typeOnly = Boolean(m[1]) || /^\s*type\s/.test(part);
      const spec = part.trim().replace(/^type\s+/, '');
      if (spec === '') continue;
      const [local, alias] = spec.split(/\s+as\s+/).map((s) => s.trim());
      if (wanted !== undefined && (alias ?? local) !== wanted) continue;
      for (const found of declarations(target, local!, via, new Set(seen))) {
        out.push({ ...found, name: alias ?? found.name, kind: typeOnly ? 'type' : found.kind });
      }
    }
  }
  for (const m of text.matchAll(new RegExp(`${DECL}([A-Za-z_$][\\w$]*)`, 'gm'))) {
    if (wanted !== undefined && m[1] !== wanted) continue;
    const kind = /\s(interface|type)\s+$/.test(m[0].slice(0, m[0].length - m[1]!.length)) ? 'type' : 'value';
    out.push({ name: m[1]!, declared: m[1]!, kind, file, via });
  }
  if (wanted !== undefined && out.length === 0) out.push({ name: wanted, declared: wanted, kind: 'value', file, via: `${via} (declaration not found)` });
  return out;
}

