// The type check of a pipeline file is skipped when it passed before and nothing it read changed, and
// runs again as soon as anything did. The project's own TypeScript is used first, so a stand-in tsc in
// the pipeline's folder (it logs each call, then answers like tsc) shows when a check really ran.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typecheckPipeline } from '../../../cli/typecheck.ts';

/** A fake `typescript` package whose tsc reports an error when the checked files contain "BROKEN". */
function fakeTypescript(dir: string, version: string): string {
  const log = join(dir, 'tsc-calls.log');
  const pkg = join(dir, 'node_modules', 'typescript');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'typescript', version, bin: { tsc: './bin/tsc' } }));
  writeFileSync(join(pkg, 'bin', 'tsc'), `
const fs = require('node:fs'), path = require('node:path');
fs.appendFileSync(${JSON.stringify(log)}, 'call\\n');
const file = process.argv[process.argv.length - 1];
const files = [file, path.join(path.dirname(file), 'helper.ts')];
const broken = files.find((f) => fs.readFileSync(f, 'utf8').includes('BROKEN'));
if (broken) { console.log(path.relative(process.cwd(), broken) + "(1,1): error TS2322: Type 'string' is not assignable to type 'number'."); process.exit(2); }
console.log(files.join('\\n'));
`);
  return log;
}

describe('type check cache', () => {
  let dir: string;
  let calls: () => number;
  const saved = process.env.CAISSON_CACHE_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-tc-'));
    process.env.CAISSON_CACHE_DIR = join(dir, 'cache');
    const log = fakeTypescript(dir, '9.9.9');
    calls = () => { try { return readFileSync(log, 'utf8').split('\n').filter(Boolean).length; } catch { return 0; } };
    writeFileSync(join(dir, 'helper.ts'), 'export const n = 1;\n');
    writeFileSync(join(dir, 'p.ts'), "import { n } from './helper.ts';\nexport default n;\n");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unchanged pipeline that passed is not checked again', () => {
    typecheckPipeline(join(dir, 'p.ts'));
    typecheckPipeline(join(dir, 'p.ts'));
    typecheckPipeline(join(dir, 'p.ts'));
    assert.equal(calls(), 1);
  });

  it('a change to a file the check read (not only the pipeline file) checks again, and its error comes out', () => {
    typecheckPipeline(join(dir, 'p.ts'));
    writeFileSync(join(dir, 'helper.ts'), "export const n: number = 'BROKEN';\n");
    assert.throws(() => typecheckPipeline(join(dir, 'p.ts')), /type error: .*helper\.ts:1:1: Type 'string' is not assignable/);
    assert.equal(calls(), 2);
  });

  it('a same-size change checks again (the stat differs, so the file is hashed); a touch alone does not', () => {
    typecheckPipeline(join(dir, 'p.ts'));
    const later = new Date(Date.now() + 5_000);
    writeFileSync(join(dir, 'helper.ts'), 'export const n = 2;\n'); // same length as before
    utimesSync(join(dir, 'helper.ts'), later, later);
    typecheckPipeline(join(dir, 'p.ts'));
    assert.equal(calls(), 2, 'same size, new content: checked again');
    const touched = new Date(Date.now() + 10_000);
    utimesSync(join(dir, 'helper.ts'), touched, touched);
    utimesSync(join(dir, 'p.ts'), touched, touched);
    typecheckPipeline(join(dir, 'p.ts'));
    assert.equal(calls(), 2, 'touched, same content: the hash still matches');
  });

  it('a failing check is never remembered: it runs every time until the file is fixed', () => {
    writeFileSync(join(dir, 'p.ts'), "const x: number = 'BROKEN';\nexport default x;\n");
    assert.throws(() => typecheckPipeline(join(dir, 'p.ts')));
    assert.throws(() => typecheckPipeline(join(dir, 'p.ts')));
    writeFileSync(join(dir, 'p.ts'), 'export default 1;\n');
    typecheckPipeline(join(dir, 'p.ts'));
    typecheckPipeline(join(dir, 'p.ts'));
    assert.equal(calls(), 3);
  });

  it('another TypeScript version checks again', () => {
    typecheckPipeline(join(dir, 'p.ts'));
    fakeTypescript(dir, '9.9.10');
    typecheckPipeline(join(dir, 'p.ts'));
    assert.equal(calls(), 2);
  });
});
