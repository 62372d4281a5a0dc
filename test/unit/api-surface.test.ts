// The package's public surface, entry by entry, is written down in api-surface.txt, so a change to it
// is a deliberate edit of that file (UPDATE_GOLDEN=1 rewrites it, and then this test fails once so the
// rewrite cannot pass unnoticed). Values are checked against what each entry really exports at run time.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entrySources, publicNames, rel, ROOT } from '../helpers/exports.ts';

const SURFACE_FILE = join(ROOT, 'test/unit/api-surface.txt');

/** "<entry> <kind> <name>" lines, sorted within each entry. */
function surfaceLines(): string[] {
  const lines: string[] = [];
  for (const [entry, file] of Object.entries(entrySources())) {
    const names = new Map<string, 'type' | 'value'>();
    for (const e of publicNames(file, undefined, rel(file))) {
      // A name that is both (a codec and its type) counts as a value.
      if (names.get(e.name) !== 'value') names.set(e.name, e.kind);
    }
    for (const name of [...names.keys()].sort()) lines.push(`${entry} ${names.get(name)} ${name}`);
  }
  return lines;
}

describe('api surface', () => {
  const lines = surfaceLines();

  it('every runtime export of every entry is a value in the listed surface, and nothing more', async () => {
    for (const [entry, file] of Object.entries(entrySources())) {
      const runtime = Object.keys(await import(file)).sort();
      const listed = lines.filter((l) => l.startsWith(`${entry} value `)).map((l) => l.split(' ')[2]!);
      assert.deepEqual(runtime, listed, `${entry}: what the module exports differs from what its sources declare`);
    }
  });

  it('matches test/unit/api-surface.txt', () => {
    const text = `${lines.join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(SURFACE_FILE, text);
      assert.fail('UPDATE_GOLDEN: api-surface.txt rewritten; review the diff and run again without UPDATE_GOLDEN');
    }
    assert.equal(text, readFileSync(SURFACE_FILE, 'utf8'), 'the public API changed: if that is intended, run UPDATE_GOLDEN=1 npx mocha test/unit/api-surface.test.ts and commit the new list');
  });
});
