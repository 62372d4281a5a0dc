// Comments and docs cite only documents the repository has: every docs/<file>.md#<section> named in the
// sources exists with that section, and no citation points at a document that is not here.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|md|sh|mjs)$/.test(name) ? [p] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\w\s-]/g, '').replace(/\s/g, '-');

describe('documents the sources cite', () => {
  const sources = ['core', 'cli', 'plugins', 'bench', 'scripts', 'test', 'examples', 'docs'].flatMap((d) => files(join(ROOT, d))).concat(join(ROOT, 'README.md'));

  it('every docs/….md#section cited exists, with that section', () => {
    const missing: string[] = [];
    let cited = 0;
    for (const file of sources) {
      for (const [, doc, anchor] of readFileSync(file, 'utf8').matchAll(/(?<![\w'"/.-])docs\/([\w-]+\.md)(?:#([\w-]+))?/g)) {
        cited++;
        const path = join(ROOT, 'docs', doc!);
        if (!existsSync(path)) { missing.push(`${relative(ROOT, file)}: docs/${doc} does not exist`); continue; }
        const anchors = [...readFileSync(path, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!));
        if (anchor && !anchors.includes(anchor)) missing.push(`${relative(ROOT, file)}: docs/${doc} has no section #${anchor}`);
      }
    }
    assert.ok(cited > 10, `only ${cited} citations found`);
    assert.deepEqual(missing, []);
  });

  it('cites no document the repository does not have (section numbers of a spec, DOCKER.md, ARCHITECTURE.md, issues)', () => {
    const dangling = sources.filter((f) => f !== join(ROOT, 'test/unit/doc-references.test.ts'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/§\s?\d|\b(?:DOCKER|ARCHITECTURE)\.md|\(issue \d/g)].map((m) => `${relative(ROOT, f)}: ${m[0]}`));
    assert.deepEqual(dangling, []);
  });
});
