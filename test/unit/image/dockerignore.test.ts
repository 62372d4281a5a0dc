import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { hashTree, parseDockerignore } from '../../../core/plugin-kit.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();

/**
 * Docker's own cases: moby/patternmatcher's TestMatches table (pattern, path, whether the path or a
 * parent matches: "MatchesOrParentMatches"), with paths cleaned as Docker cleans them (no trailing "/").
 */
const DOCKER_MATCHES: Array<[pattern: string, path: string, matches: boolean]> = [
  ['**', 'file', true], ['**/', 'file', true], ['**', 'dir/file', true], ['**/', 'dir/file', true], ['**/**', 'dir/file', true],
  ['dir/**', 'dir/file', true], ['dir/**', 'dir/dir2/file', true], ['**/dir', 'dir', true], ['**/dir', 'dir/file', true],
  ['**/dir2/*', 'dir/dir2/file', true], ['**/dir2/**', 'dir/dir2/dir3/file', true], ['**file', 'file', true], ['**file', 'dir/file', true],
  ['**/file', 'dir/file', true], ['**file', 'dir/dir/file', true], ['**/file', 'dir/dir/file', true], ['**/file*', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file.txt', true], ['**/file*txt', 'dir/dir/file.txt', true], ['**/file*.txt', 'dir/dir/file.txt', true],
  ['**/file*.txt*', 'dir/dir/file.txt', true], ['**/**/*.txt', 'dir/dir/file.txt', true], ['**/**/*.txt2', 'dir/dir/file.txt', false],
  ['**/*.txt', 'file.txt', true], ['**/**/*.txt', 'file.txt', true], ['a**/*.txt', 'a/file.txt', true], ['a**/*.txt', 'a/dir/file.txt', true],
  ['a**/*.txt', 'a/dir/dir/file.txt', true], ['a/*.txt', 'a/dir/file.txt', false], ['a/*.txt', 'a/file.txt', true], ['a/*.txt**', 'a/file.txt', true],
  ['a[b-d]e', 'ae', false], ['a[b-d]e', 'ace', true], ['a[b-d]e', 'aae', false], ['a[^b-d]e', 'aze', true], ['.*', '.foo', true], ['.*', 'foo', false],
  ['abc.def', 'abcdef', false], ['abc.def', 'abc.def', true], ['abc.def', 'abcZdef', false], ['abc?def', 'abcZdef', true], ['abc?def', 'abcdef', false],
  ['**/foo/bar', 'foo/bar', true], ['**/foo/bar', 'dir/foo/bar', true], ['**/foo/bar', 'dir/dir2/foo/bar', true], ['abc/**', 'abc', false],
  ['abc/**', 'abc/def', true], ['abc/**', 'abc/def/ghi', true], ['**/.foo', '.foo', true], ['**/.foo', 'bar.foo', false],
  ['a(b)c/def', 'a(b)c/def', true], ['a(b)c/def', 'a(b)c/xyz', false], ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
  ['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true], ['a\\\\', 'a\\', true], ['a\\*b', 'a*b', true],
];

/** Go's filepath.Match table as moby/patternmatcher runs it through Matches (the cases Go accepts as patterns). */
const GO_MATCH: Array<[pattern: string, path: string, matches: boolean]> = [
  ['abc', 'abc', true], ['*', 'abc', true], ['*c', 'abc', true], ['a*', 'a', true], ['a*', 'abc', true], ['a*', 'ab/c', true],
  ['a*/b', 'abc/b', true], ['a*/b', 'a/c/b', false], ['a*b*c*d*e*/f', 'axbxcxdxe/f', true], ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false], ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false], ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false], ['ab[c]', 'abc', true], ['ab[b-d]', 'abc', true], ['ab[e-g]', 'abc', false], ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false], ['ab[^e-g]', 'abc', true], ['a\\*b', 'a*b', true], ['a\\*b', 'ab', false], ['a?b', 'a☺b', true], ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false], ['a[^a][^a][^a]b', 'a☺b', false], ['[a-ζ]*', 'α', true], ['*[a-ζ]', 'A', false], ['a?b', 'a/b', false], ['a*b', 'a/b', false],
  ['[\\]a]', ']', true], ['[\\-]', '-', true], ['[x\\-]', 'x', true], ['[x\\-]', '-', true], ['[x\\-]', 'z', false], ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true], ['[\\-x]', 'a', false], ['*x', 'xxx', true],
];

describe('dockerignore rules and tree hashing', () => {
  it("matches Docker's own pattern table (moby/patternmatcher TestMatches)", () => {
    const wrong = DOCKER_MATCHES.filter(([p, path, want]) => parseDockerignore(p).ignores(path) !== want);
    assert.deepEqual(wrong, []);
  });

  it("matches Go's filepath.Match table as Docker's matcher runs it", () => {
    const wrong = GO_MATCH.filter(([p, path, want]) => parseDockerignore(p).ignores(path) !== want);
    assert.deepEqual(wrong, []);
  });

  it('a "!" inside brackets is a character, not a negation (Go has only [^...]); case counts', () => {
    const rules = parseDockerignore('a[!b]c\n*.log\n');
    assert.equal(rules.ignores('abc'), true);
    assert.equal(rules.ignores('a!c'), true);
    assert.equal(rules.ignores('axc'), false);
    assert.equal(rules.ignores('UPPER.LOG'), false);
  });

  after(() => temps.removeAll());
  it('follows Docker: globs per segment, ** across, directories exclude their contents, last match wins', () => {
    const rules = parseDockerignore('# comment\n*.log\n/build\nnode_modules\n**/tmp\n!keep.log\ndocs/*.md\n');
    assert.equal(rules.ignores('a.log'), true);
    assert.equal(rules.ignores('keep.log'), false);
    assert.equal(rules.ignores('sub/a.log'), false, '*.log matches only at the top, as in Docker');
    assert.equal(rules.ignores('build/out/x.js'), true);
    assert.equal(rules.ignores('node_modules/x/index.js'), true);
    assert.equal(rules.ignores('a/b/tmp'), true);
    assert.equal(rules.ignores('docs/readme.md'), true);
    assert.equal(rules.ignores('docs/sub/readme.md'), false);
    assert.equal(rules.ignores('src/main.ts'), false);
  });

  it('an excluded folder is entered only when an exception could bring something back from it, as the build client walks', () => {
    const rules = parseDockerignore('docs\n!docs/keep/README.md\n');
    assert.equal(rules.descend('docs'), true);
    assert.equal(rules.descend('docs/keep'), true);
    assert.equal(rules.descend('docs/other'), false);
    assert.equal(rules.ignores('docs/keep/README.md'), false);
    assert.equal(rules.ignores('docs/other/README.md'), true);
    assert.equal(parseDockerignore('docs\n!**/README.md\n').descend('docs'), true, 'a wildcard exception may match anywhere');
    assert.equal(parseDockerignore('docs\n!\\*.md\n').descend('docs'), false, 'an escaped "*" is no wildcard');
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

  it('a file BuildKit does not send (its excluded folder is not entered) does not count, whatever its own rules say', () => {
    const dir = temps.make('tree');
    mkdirSync(join(dir, 'x', 'y'), { recursive: true });
    writeFileSync(join(dir, 'x', 'keep.md'), 'k');
    writeFileSync(join(dir, 'x', 'y', 'z.md'), 'z');
    writeFileSync(join(dir, '.dockerignore'), 'x\n!x/keep.md\n');
    const before = hashTree(dir);
    assert.equal(before.files, 2, '.dockerignore and x/keep.md');
    writeFileSync(join(dir, 'x', 'y', 'z.md'), 'changed');
    assert.equal(hashTree(dir).hash, before.hash);
    writeFileSync(join(dir, 'x', 'keep.md'), 'changed');
    assert.notEqual(hashTree(dir).hash, before.hash);
  });
});
