// POSIX word splitting (dockerRunArgs given as one string, as Conducto's shlex.split) and quoting (argv
// shown as a line, generated Dockerfiles), checked against the libraries' own cases and the shell itself:
// CPython's shlex posix test table (the npm ports shlex and shell-quote follow Python's shlex), its
// shlex.quote cases, and /bin/sh reading back what we split and quote.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { shellSplit } from '../../../core/dsl/shell-split.ts';
import { shellJoin, shellQuote } from '../../../core/ir/shell-quote.ts';

/** CPython Lib/test/test_shlex.py, posix_data (input, words), without the one case that needs comments=True. */
const SHLEX_POSIX: Array<[string, string[]]> = [
  ["x", ["x"]],
  ["foo bar", ["foo", "bar"]],
  [" foo bar", ["foo", "bar"]],
  [" foo bar ", ["foo", "bar"]],
  ["foo   bar    bla     fasel", ["foo", "bar", "bla", "fasel"]],
  ["x y  z              xxxx", ["x", "y", "z", "xxxx"]],
  ["\\x bar", ["x", "bar"]],
  ["\\ x bar", [" x", "bar"]],
  ["\\ bar", [" bar"]],
  ["foo \\x bar", ["foo", "x", "bar"]],
  ["foo \\ x bar", ["foo", " x", "bar"]],
  ["foo \\ bar", ["foo", " bar"]],
  ["foo \"bar\" bla", ["foo", "bar", "bla"]],
  ["\"foo\" \"bar\" \"bla\"", ["foo", "bar", "bla"]],
  ["\"foo\" bar \"bla\"", ["foo", "bar", "bla"]],
  ["\"foo\" bar bla", ["foo", "bar", "bla"]],
  ["foo 'bar' bla", ["foo", "bar", "bla"]],
  ["'foo' 'bar' 'bla'", ["foo", "bar", "bla"]],
  ["'foo' bar 'bla'", ["foo", "bar", "bla"]],
  ["'foo' bar bla", ["foo", "bar", "bla"]],
  ["blurb foo\"bar\"bar\"fasel\" baz", ["blurb", "foobarbarfasel", "baz"]],
  ["blurb foo'bar'bar'fasel' baz", ["blurb", "foobarbarfasel", "baz"]],
  ["\"\"", [""]],
  ["''", [""]],
  ["foo \"\" bar", ["foo", "", "bar"]],
  ["foo '' bar", ["foo", "", "bar"]],
  ["foo \"\" \"\" \"\" bar", ["foo", "", "", "", "bar"]],
  ["foo '' '' '' bar", ["foo", "", "", "", "bar"]],
  ["\\\"", ["\""]],
  ["\"\\\"\"", ["\""]],
  ["\"foo\\ bar\"", ["foo\\ bar"]],
  ["\"foo\\\\ bar\"", ["foo\\ bar"]],
  ["\"foo\\\\ bar\\\"\"", ["foo\\ bar\""]],
  ["\"foo\\\\\" bar\\\"", ["foo\\", "bar\""]],
  ["\"foo\\\\ bar\\\" dfadf\"", ["foo\\ bar\" dfadf"]],
  ["\"foo\\\\\\ bar\\\" dfadf\"", ["foo\\\\ bar\" dfadf"]],
  ["\"foo\\\\\\x bar\\\" dfadf\"", ["foo\\\\x bar\" dfadf"]],
  ["\"foo\\x bar\\\" dfadf\"", ["foo\\x bar\" dfadf"]],
  ["\\'", ["'"]],
  ["'foo\\ bar'", ["foo\\ bar"]],
  ["'foo\\\\ bar'", ["foo\\\\ bar"]],
  ["\"foo\\\\\\x bar\\\" df'a\\ 'df\"", ["foo\\\\x bar\" df'a\\ 'df"]],
  ["\\\"foo", ["\"foo"]],
  ["\\\"foo\\x", ["\"foox"]],
  ["\"foo\\x\"", ["foo\\x"]],
  ["\"foo\\ \"", ["foo\\ "]],
  ["foo\\ xx", ["foo xx"]],
  ["foo\\ x\\x", ["foo xx"]],
  ["foo\\ x\\x\\\"", ["foo xx\""]],
  ["\"foo\\ x\\x\"", ["foo\\ x\\x"]],
  ["\"foo\\ x\\x\\\\\"", ["foo\\ x\\x\\"]],
  ["\"foo\\ x\\x\\\\\"\"foobar\"", ["foo\\ x\\x\\foobar"]],
  ["\"foo\\ x\\x\\\\\"\\'\"foobar\"", ["foo\\ x\\x\\'foobar"]],
  ["\"foo\\ x\\x\\\\\"\\'\"fo'obar\"", ["foo\\ x\\x\\'fo'obar"]],
  ["\"foo\\ x\\x\\\\\"\\'\"fo'obar\" 'don'\\''t'", ["foo\\ x\\x\\'fo'obar", "don't"]],
  ["\"foo\\ x\\x\\\\\"\\'\"fo'obar\" 'don'\\''t' \\\\", ["foo\\ x\\x\\'fo'obar", "don't", "\\"]],
  ["'foo\\ bar'", ["foo\\ bar"]],
  ["'foo\\\\ bar'", ["foo\\\\ bar"]],
  ["foo\\ bar", ["foo bar"]],
  [":-) ;-)", [":-)", ";-)"]],
  ["áéíóú", ["áéíóú"]],
];

/** The words /bin/sh makes of `line` (no globbing; cases hold no expansions or operators). */
const shWords = (line: string): string[] =>
  execFileSync('sh', ['-c', 'set -f; eval "set -- $1"; for w in "$@"; do printf "%s\\0" "$w"; done', 'sh', line], { encoding: 'utf8' }).split('\0').slice(0, -1);

describe('shell words: split and quote as the shell does', () => {
  it("splits CPython shlex's posix table exactly", () => {
    const wrong = SHLEX_POSIX.filter(([line, words]) => JSON.stringify(shellSplit(line)) !== JSON.stringify(words));
    assert.deepEqual(wrong, []);
  });

  it('splits as /bin/sh does (every table line without shell operators)', () => {
    const plain = SHLEX_POSIX.filter(([line]) => !/[;&|<>()$`*?[#~]/.test(line));
    assert.ok(plain.length > 50, `only ${plain.length} cases`);
    const wrong = plain.filter(([line]) => JSON.stringify(shellSplit(line)) !== JSON.stringify(shWords(line)));
    assert.deepEqual(wrong, []);
  });

  it('an open quote is an error, not a guess', () => {
    assert.deepEqual(shellSplit("-v 'a"), { error: 'unterminated single quote' });
    assert.deepEqual(shellSplit('-e "x'), { error: 'unterminated double quote' });
  });

  it("quotes as CPython's shlex.quote does", () => {
    const safe = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_-+=:,./';
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote(safe), safe);
    assert.equal(shellQuote('test file name'), "'test file name'");
    for (const u of ['"', '`', '$', '\\', '!', 'é', 'à', 'ß']) {
      assert.equal(shellQuote(`test${u}name`), `'test${u}name'`);
      assert.equal(shellQuote(`test${u}'name'`), `'test${u}'"'"'name'"'"''`);
    }
    assert.equal(shellJoin(['a ', 'b']), "'a ' b");
    assert.equal(shellJoin(['"a', 'b"']), `'"a' 'b"'`);
  });

  it('/bin/sh reads every quoted word back unchanged, and splitting a joined line gives the words back', () => {
    const words = ['', ' ', "it's", 'a"b', 'back\\slash', '$HOME', '`id`', '*', 'new\nline', 'tab\there', '!x', '~', 'é☺', "'", ...SHLEX_POSIX.flatMap(([, w]) => w)];
    assert.deepEqual(shWords(shellJoin(words)), words);
    assert.deepEqual(shellSplit(shellJoin(words)), words);
  });
});
