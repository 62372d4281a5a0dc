// The .caisson/secrets file, line by line: what counts as blank, a comment or a NAME, where the file is,
// and that an unreadable file is an error rather than "no secrets".
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretError, SecretScrubber, parseSecrets, pipelineSecrets, readSecretsFile, secretNames, secretsFilePath, staticSecrets } from '../../../core/plugin-kit.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';

const parse = (text: string) => [...parseSecrets(text, 'f')];
const rejects = (text: string, line: number) =>
  assert.throws(() => parseSecrets(text, '/p/.caisson/secrets'), (e: unknown) =>
    e instanceof SecretError && e.message === `/p/.caisson/secrets:${line}: expected a NAME=VALUE line (NAME of letters, digits and _)`);

describe('secrets: secrets file lines', () => {
  it('lives at <dir>/.caisson/secrets', () => {
    assert.equal(secretsFilePath('/work/app'), join('/work/app', '.caisson', 'secrets'));
  });

  it('skips lines of only spaces and indented comments', () => {
    assert.deepEqual(parse('   \n\t\n  # a comment\nA=1\n'), [['A', '1']]);
  });

  it('trims spaces around the NAME but keeps the value as written', () => {
    assert.deepEqual(parse('  TOKEN = v \n'), [['TOKEN', ' v ']]);
  });

  it('rejects a line without "=", even when it looks like a name', () => {
    rejects('A=1\nTOKEN\n', 2);
  });

  it('rejects a NAME with characters after a valid start', () => {
    rejects('API-TOKEN=x', 1);
    rejects('A.B=x', 1);
  });

  it('counts lines from 1, blank and comment lines included', () => {
    rejects('# c\n\nA=1\n=x\n', 4);
  });

  it('reports a file it cannot stat (not merely absent) as a SecretError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-secrets-'));
    try {
      const notADir = join(dir, 'plain-file');
      writeFileSync(notADir, '');
      const file = join(notADir, '.caisson', 'secrets');
      assert.throws(() => readSecretsFile(file), (e: unknown) =>
        e instanceof SecretError && e.message.startsWith(`cannot read secrets file ${file}: `) && /ENOTDIR/.test(e.message));
      assert.throws(() => pipelineSecrets(notADir, {}), SecretError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the file of the pipeline directory it is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-secrets-'));
    try {
      mkdirSync(join(dir, '.caisson'));
      writeFileSync(join(dir, '.caisson', 'secrets'), 'DB_PASSWORD=pw\n');
      chmodSync(join(dir, '.caisson', 'secrets'), 0o600);
      assert.equal(pipelineSecrets(dir, {}).get('DB_PASSWORD'), 'pw');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('secrets: sources and names', () => {
  it('a static source answers its values and the hint it was given', () => {
    const source = staticSecrets({ A: 'a' }, 'set it in the test');
    assert.equal(source.get('A'), 'a');
    assert.equal(source.get('B'), undefined);
    assert.equal(source.howToSet('B'), 'set it in the test');
    assert.equal(staticSecrets({}).howToSet('B'), "pass it in the run's secrets");
  });

  it('a scrubber ignores empty secret values and says whether it has anything to hide', () => {
    assert.equal(new SecretScrubber(['']).empty, true);
    assert.equal(new SecretScrubber(['', 'pw']).empty, false);
    const s = new SecretScrubber(['']);
    assert.equal(s.push('abc') + s.flush(), 'abc');
  });

  it('secretNames lists every referenced secret once, sorted', () => {
    const ir = pipeline(serial('s', [
      exec('b', 'x', { secrets: { Z_ENV: 'ZED', A_ENV: 'ALPHA' } }),
      parallel('p', [exec('c', 'x', { secrets: { M: 'MID', A: 'ALPHA' } })]),
    ]));
    assert.deepEqual(secretNames(ir), ['ALPHA', 'MID', 'ZED']);
  });
});
