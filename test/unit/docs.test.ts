// docs/ cite the tests and benches that back their claims: every cited file must exist, so a claim
// cannot outlive the test that proved it without someone noticing.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

describe('docs', () => {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));

  it('has the threat model', () => assert.ok(docs.includes('security.md')));

  for (const doc of docs) {
    it(`${doc}: every test or bench it cites exists`, () => {
      const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
      const cited = [...new Set([...text.matchAll(/\b((?:test|bench)\/[\w/.-]+\.ts)\b/g)].map((m) => m[1]!))];
      assert.deepEqual(cited.filter((f) => !existsSync(join(ROOT, f))), []);
    });
  }
});
