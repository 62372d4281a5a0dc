import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { hashTree, parseDockerignore } from '../../../core/plugin-kit.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();

describe('dockerignore rules and tree hashing', () => {
  after(() => temps.removeAll());
  it('follows Docker: globs per segment, ** across, directories exclude their contents, last match wins', () => {
    const rules = parseDockerignore('# comment\n*.log\n/build\nnode_modules\n**/tmp\n!keep.log\ndocs/*.md\n');
    assert.equal(rules.ignores('a.log'), true);
    assert.equal(rules.ignores('keep.log'), false);
    assert.equal(rules.ignores('sub/a.log'), false, '*.log matches only at the top, as in Docker');
    assert.equal(rules.ignores('build/out/x.js'), true);
    assert.equal(rules.ignores('node_modules/x/index.js'), true);
    assert.equal(rules.ignores('a/b/tmp/file'), true);
    assert.equal(rules.ignores('docs/readme.md'), true);
    assert.equal(rules.ignores('docs/sub/readme.md'), false);
    assert.equal(rules.ignores('src/main.ts'), false);
  });

  it('hashes what a COPY would send: ignored files do not count, content, names and modes do', () => {
    const dir = temps.make('tree');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.txt'), 'a');
    writeFileSync(join(dir, '.dockerignore'), '*.log\n');
    const first = hashTree(dir);
    writeFileSync(join(dir, 'noise.log'), 'x');
    assert.equal(hashTree(dir).hash, first.hash, 'an ignored file changed the hash');
    writeFileSync(join(dir, 'src', 'a.txt'), 'b');
    const changed = hashTree(dir).hash;
    assert.notEqual(changed, first.hash);
    chmodSync(join(dir, 'src', 'a.txt'), 0o755);
    assert.notEqual(hashTree(dir).hash, changed, 'a mode change must count');
    assert.equal(hashTree(dir).files, 2, '.dockerignore itself and src/a.txt');
  });
});
