// Keeps the rule "every public DSL function and provider member has JSDoc" true for the exported
// declarations: starting from the package's entry files (package.json's exports), follow
// `export ... from './x.ts'` re-exports to the file that declares each name, and require a `/** ... */`
// block right before that declaration (decorators in between are allowed).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { DECL, entryFiles, publicNames, rel } from '../helpers/exports.ts';

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
    for (const expected of ['pipeline', 'Engine', 'RunStore', 'FakeRuntimeProvider', 'DockerRuntimeProvider', 'buildkit', 'gitKind', 'defineImageKind']) {
      assert.ok(names.has(expected), `${expected} was not found among the exports`);
    }
    assert.ok(exported.length > 100, `only ${exported.length} exports found`);
  });

  it('has a JSDoc block right before each exported declaration', () => {
    const undocumented: string[] = [];
    for (const e of exported) {
      const verdict = hasJsDoc(readFileSync(e.file, 'utf8'), e.declared);
      if (verdict === 'missing') undocumented.push(`${rel(e.file)}: ${e.declared} (declaration not found; exported via ${e.via})`);
      else if (!verdict) undocumented.push(`${rel(e.file)}: ${e.declared}`);
    }
    assert.deepEqual([...new Set(undocumented)], [], `exports without a JSDoc block:\n  ${[...new Set(undocumented)].join('\n  ')}`);
  });
});
