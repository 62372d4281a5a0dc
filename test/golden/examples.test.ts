/**
 * Golden IR: every example compiles to exactly its checked-in test/golden/<name>.ir.json, and
 * decode → encode gives that same IR back. `UPDATE_GOLDEN=1 npx mocha test/golden` rewrites the files that
 * differ and fails for each (review the diff, then run again without it).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, type GroupBuilder } from '../../core/dsl/index.ts';
import { canonicalJson, decodePipeline, encodePipeline, pretty } from '../../core/ir/index.ts';
import { assertGolden } from '../helpers/golden.ts';

const here = dirname(fileURLToPath(import.meta.url));
const examplesDir = join(here, '..', '..', 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.ts')).sort();

describe('golden IR of the examples', () => {
  it('has examples to check', () => {
    assert.ok(examples.length >= 3, `expected examples in ${examplesDir}`);
  });

  for (const file of examples) {
    const name = basename(file, '.ts');
    const goldenPath = join(here, `${name}.ir.json`);

    it(`${file} compiles to test/golden/${name}.ir.json`, async () => {
      const mod = (await import(pathToFileURL(join(examplesDir, file)).href)) as { default: GroupBuilder };
      // Host paths an image records (the folder of the file that declared it) depend on the checkout's place.
      const actual = `${canonicalJson(compile(mod.default, { baseDir: examplesDir }))}\n`.replaceAll(JSON.stringify(examplesDir).slice(1, -1), '<examples>');
      assertGolden(goldenPath, actual);
    });

    it(`${file}: decode → encode is the identity`, () => {
      const golden: unknown = JSON.parse(readFileSync(goldenPath, 'utf8'));
      const ir = decodePipeline(golden);
      assert.deepEqual(encodePipeline(ir), golden);
      assert.equal(canonicalJson(encodePipeline(ir)), canonicalJson(golden));
      assert.ok(pretty(ir).startsWith(`/${ir.name}`));
    });
  }
});
