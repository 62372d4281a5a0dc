// The .caisson/secrets file: read only at mode 0600, KEY=VALUE lines, the environment first.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecrets, pipelineSecrets, readSecretsFile, secretsFilePath } from '../../../core/plugin-kit.ts';
import { throwsCode } from '../../helpers/errors.ts';

describe('secrets: the .caisson/secrets file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-secrets-'));
    mkdirSync(join(dir, '.caisson'));
    file = secretsFilePath(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (text: string, mode: number) => { writeFileSync(file, text); chmodSync(file, mode); };

  it('reads KEY=VALUE lines, skipping blanks and comments, keeping the value exactly', () => {
    write('# deploy keys\nAPI_TOKEN=abc=def \n\nEMPTY=\r\nQUOTED="x"\n', 0o600);
    assert.deepEqual([...readSecretsFile(file)!], [['API_TOKEN', 'abc=def '], ['EMPTY', ''], ['QUOTED', '"x"']]);
  });

  for (const mode of [0o644, 0o640, 0o604, 0o700, 0o400]) {
    it(`refuses mode ${mode.toString(8)}, naming the file and chmod 600`, () => {
      write('A=1\n', mode);
      const e = throwsCode(() => readSecretsFile(file), 'SECRET', { file });
      assert.ok(e.message.includes(`chmod 600 ${file}`) && e.message.includes(`mode 0${mode.toString(8)}`), e.message);
    });
  }

  it('is simply absent when there is no file', () => {
    rmSync(file, { force: true });
    assert.equal(readSecretsFile(file), undefined);
    assert.equal(pipelineSecrets(dir, {}).get('A'), undefined);
  });

  it('names the file and line of a line that is not KEY=VALUE', () => {
    throwsCode(() => parseSecrets('A=1\nnot a pair\n', '/p/.caisson/secrets'), 'SECRET', { file: '/p/.caisson/secrets', line: 2 });
    throwsCode(() => parseSecrets('1A=x', 'f'), 'SECRET', { file: 'f', line: 1 });
  });

  it('takes the runner\'s environment first, then the file; says how to set a missing one', () => {
    write('A=from-file\nB=file-b\n', 0o600);
    const source = pipelineSecrets(dir, { A: 'from-env' });
    assert.equal(source.get('A'), 'from-env');
    assert.equal(source.get('B'), 'file-b');
    assert.equal(source.get('C'), undefined);
    assert.match(source.howToSet('C'), new RegExp(`export C=… before running, or add a C=… line to ${file.replace(/[.]/g, '\\.')} \\(chmod 600\\)`));
  });
});
