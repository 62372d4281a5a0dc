// What a type error in a pipeline file says: a misspelt option of exec() is named (the command overload
// comes last, so TypeScript explains it), and a chained diagnostic keeps its last line, the one that says
// what is wrong. Uses Caisson's own TypeScript on a file under the checkout (so `caisson` resolves).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { typecheckPipeline } from '../../../cli/typecheck.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('type errors in a pipeline file', function () {
  this.timeout(60_000);
  let dir: string;
  const saved = process.env.CAISSON_CACHE_DIR;
  beforeEach(() => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'tmp', 'typecheck-'));
    process.env.CAISSON_CACHE_DIR = join(dir, 'cache');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const errorOf = (source: string): string => {
    const file = join(dir, 'p.ts');
    writeFileSync(file, source);
    try { typecheckPipeline(file); } catch (e) { return (e as Error).message; }
    return 'no error';
  };

  it('a misspelt exec option is named, with the options type it is not in', () => {
    const msg = errorOf("import { pipeline } from 'caisson';\nexport default pipeline('p').exec('a', 'pwd', { workdir: '/tmp' });\n");
    assert.match(msg, /p\.ts:2:\d+: No overload matches this call: Object literal may only specify known properties, and 'workdir' does not exist in type 'ExecOptions'\. \(TS2769\)/);
  });

  it('the same for a detached exec()', () => {
    const msg = errorOf("import { exec } from 'caisson';\nexport const e = exec('pwd', { mem: 'lots' });\n");
    assert.match(msg, /p\.ts:2:\d+: No overload matches this call: Type 'string' is not assignable to type 'number'\. \(TS2769\)/);
  });

  it('a native call with a wrong argument type still fails the check', () => {
    const msg = errorOf("import { pipeline } from 'caisson';\nexport function add(a: number): number { return a + 1; }\nexport default pipeline('p').exec('a', add, 'one');\n");
    assert.match(msg, /p\.ts:3:\d+: No overload matches this call/);
  });
});
