// Keeps the rule "every public DSL function and provider member has JSDoc" true for the exported
// declarations: starting from the package's entry files (core/index.ts and plugins/*/index.ts), follow
// `export ... from './x.ts'` re-exports to the file that declares each name, and require a `/** ... */`
// block right before that declaration (decorators in between are allowed).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const rel = (p: string) => relative(ROOT, p);

function entryFiles(): string[] {
  const plugins = join(ROOT, 'plugins');
  const entries = [join(ROOT, 'core/index.ts')];
  for (const name of readdirSync(plugins).sort()) {
    const index = join(plugins, name, 'index.ts');
    if (existsSync(index)) entries.push(index);
  }
  return entries;
}

/** One name a module makes public, and the file that should declare it. */
interface Exported { name: string; file: string; via: string }

const DECL = String.raw`^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|function\*?|const|let|var|interface|type|enum)\s+`;
const NAMED_REEXPORT = /^export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](\.[^'"]+)['"]/gm;
const STAR_REEXPORT = /^export\s+\*\s+from\s*['"](\.[^'"]+)['"]/gm;

/** Every name `file` exports, resolved to the file that declares it (through re-exports). */
function publicNames(file: string, wanted: string | undefined, via: string, seen = new Set<string>()): Exported[] {
  const key = `${file}#${wanted ?? '*'}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const text = readFileSync(file, 'utf8');
  const out: Exported[] = [];
  for (const m of text.matchAll(STAR_REEXPORT)) {
    out.push(...publicNames(resolve(dirname(file), m[1]!), wanted, via, seen));
  }
  for (const m of text.matchAll(NAMED_REEXPORT)) {
    const target = resolve(dirname(file), m[2]!);
    for (const part of m[1]!.split(',')) {
      const spec = part.trim().replace(/^type\s+/, '');
      if (spec === '') continue;
      const [local, alias] = spec.split(/\s+as\s+/).map((s) => s.trim());
      if (wanted !== undefined && (alias ?? local) !== wanted) continue;
      out.push(...publicNames(target, local!, via, seen));
    }
  }
  for (const m of text.matchAll(new RegExp(`${DECL}([A-Za-z_$][\\w$]*)`, 'gm'))) {
    if (wanted === undefined || m[1] === wanted) out.push({ name: m[1]!, file, via });
  }
  if (wanted !== undefined && out.length === 0) out.push({ name: wanted, file, via: `${via} (declaration not found)` });
  return out;
}

/** Whether the first declaration of `name` in `text` has a JSDoc block right above it. */
function hasJsDoc(text: string, name: string): boolean | 'missing' {
  const m = new RegExp(`${DECL}${name.replace(/\$/g, '\\$')}\\b`, 'm').exec(text);
  if (!m) return 'missing';
  const lines = text.slice(0, m.index).split('\n');
  lines.pop(); // the (empty) start of the declaration line
  while (lines.length > 0 && /^\s*@/.test(lines[lines.length - 1]!)) lines.pop(); // decorators
  if (lines.length === 0 || !lines[lines.length - 1]!.trimEnd().endsWith('*/')) return false; // no blank line between
  const before = lines.join('\n');
  const end = before.lastIndexOf('*/');
  const start = before.lastIndexOf('/*', end);
  return start >= 0 && before.startsWith('/**', start);
}

describe('jsdoc: every public export is documented', () => {
  const exported = entryFiles().flatMap((entry) => publicNames(entry, undefined, rel(entry)));

  it('finds the public API it checks', () => {
    const names = new Set(exported.map((e) => e.name));
    for (const expected of ['pipeline', 'Engine', 'RunStore', 'FakeRuntimeProvider', 'DockerRuntimeProvider', 'buildkit', 'GitImageProvider']) {
      assert.ok(names.has(expected), `${expected} was not found among the exports`);
    }
    assert.ok(exported.length > 100, `only ${exported.length} exports found`);
  });

  it('has a JSDoc block right before each exported declaration', () => {
    const undocumented: string[] = [];
    for (const e of exported) {
      const verdict = hasJsDoc(readFileSync(e.file, 'utf8'), e.name);
      if (verdict === 'missing') undocumented.push(`${rel(e.file)}: ${e.name} (declaration not found; exported via ${e.via})`);
      else if (!verdict) undocumented.push(`${rel(e.file)}: ${e.name}`);
    }
    assert.deepEqual([...new Set(undocumented)], [], `exports without a JSDoc block:\n  ${[...new Set(undocumented)].join('\n  ')}`);
  });
});
