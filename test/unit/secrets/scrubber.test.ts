// Secret masking in streamed output: whatever way the text is cut into chunks, no secret gets through.
import { strict as assert } from 'node:assert';
import { SecretScrubber, maskForms, scrubText } from '../../../core/plugin-kit.ts';

/** Feeds `chunks` through a scrubber of `secrets`; returns everything it let out, flush included. */
const stream = (secrets: string[], chunks: string[]): string => {
  const s = new SecretScrubber(secrets);
  return chunks.map((c) => s.push(c)).join('') + s.flush();
};

/** Every way to cut `text` into 2 and 3 pieces (and 1-char pieces). */
function* splits(text: string): Generator<string[]> {
  for (let i = 0; i <= text.length; i++) {
    yield [text.slice(0, i), text.slice(i)];
    for (let j = i; j <= text.length; j++) yield [text.slice(0, i), text.slice(i, j), text.slice(j)];
  }
  yield [...text];
}

describe('secrets: output scrubbing', () => {
  it('masks a secret in one chunk, every occurrence', () => {
    assert.equal(scrubText('token=hunter2; again hunter2!', ['hunter2']), 'token=***; again ***!');
  });

  it('leaves text without secrets alone, and passes through unchanged with no secrets', () => {
    assert.equal(scrubText('nothing here', ['hunter2']), 'nothing here');
    const s = new SecretScrubber([]);
    assert.equal(s.push('hun'), 'hun');
    assert.equal(s.empty, true);
  });

  const cases: Array<[string, string[], string, string]> = [
    ['one secret mid-line', ['s3cr3t'], 'a s3cr3t b\n', 'a *** b\n'],
    ['adjacent secrets', ['s3cr3t'], 's3cr3ts3cr3t', '******'],
    ['a near-miss then the secret', ['abcab'], 'abcaabcab.', 'abca***.'],
    ['self-overlapping secret', ['aab'], 'aaab', 'a***'],
    ['two secrets sharing a prefix (longer one wins)', ['ab', 'abcd'], 'x abcd y ab z', 'x *** y *** z'],
    ['a secret inside another', ['pass', 'mypassword'], 'mypassword pass', '*** ***'],
    ['secret with a newline and unicode', ['é\nß😀'], 'pre é\nß😀 post', 'pre *** post'],
    ['only a prefix at the end', ['hunter2'], 'ends with hunt', 'ends with hunt'],
  ];
  for (const [name, secrets, text, expected] of cases) {
    it(`${name}: same result for every split into 2 or 3 chunks and char by char`, () => {
      assert.equal(scrubText(text, secrets), expected);
      let n = 0;
      for (const chunks of splits(text)) {
        assert.equal(stream(secrets, chunks), expected, `chunks ${JSON.stringify(chunks)}`);
        n++;
      }
      assert.ok(n > text.length); // the generator really produced the splits
    });
  }

  it('holds back only a tail that could start a secret, and releases it at flush', () => {
    const s = new SecretScrubber(['hunter2']);
    assert.equal(s.push('log: hun'), 'log: ');
    assert.equal(s.push('gry\n'), 'hungry\n'); // not the secret after all: shown whole
    assert.equal(s.push('x hunte'), 'x ');
    assert.equal(s.push('r2 y'), '*** y');
    assert.equal(s.push('h'), '');
    assert.equal(s.flush(), 'h');
    assert.equal(s.flush(), '');
  });

  it('masks a shorter secret in the held tail at flush when the longer one never completes', () => {
    const s = new SecretScrubber(['ab', 'abcd']);
    assert.equal(s.push('x ab'), 'x ');
    assert.equal(s.flush(), '***');
  });

  it('never lets any character of a secret out before it is masked, for random text and cuts', () => {
    const secrets = ['Zq9!Zq', 'q9!', 'ZZZ'];
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const alphabet = 'Zq9! ';
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 30 }, () => alphabet[rand(alphabet.length)]).join('');
      const cuts = [...new Set(Array.from({ length: 4 }, () => rand(text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...cuts].map((c, i, all) => text.slice(c, all[i + 1] ?? text.length));
      const out = stream(secrets, chunks);
      assert.equal(out, scrubText(text, secrets), JSON.stringify(chunks));
      for (const secret of secrets) assert.ok(!out.includes(secret), `${secret} leaked from ${JSON.stringify(chunks)}: ${out}`);
    }
  });

  it('never lets a secret out whatever the cuts, the same as a plain leftmost-longest masking of the whole text', () => {
    /** The reference: at each position the longest value that starts there, else one character. */
    const reference = (text: string, values: string[]): string => {
      const sorted = [...values].sort((a, b) => b.length - a.length);
      let out = '';
      for (let i = 0; i < text.length;) {
        const hit = sorted.find((v) => text.startsWith(v, i));
        if (hit) { out += '***'; i += hit.length; } else out += text[i++];
      }
      return out;
    };
    let seed = 11;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const alphabet = 'abc\n';
    for (let round = 0; round < 400; round++) {
      const values = Array.from({ length: 1 + rand(3) }, () => Array.from({ length: 1 + rand(5) }, () => alphabet[rand(alphabet.length)]).join(''));
      const text = Array.from({ length: 25 }, () => alphabet[rand(alphabet.length)]).join('');
      const expected = reference(text, values);
      assert.equal(scrubText(text, values), expected, JSON.stringify({ text, values }));
      const cuts = [...new Set(Array.from({ length: 5 }, () => rand(text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...cuts].map((c, i, all) => text.slice(c, all[i + 1] ?? text.length));
      assert.equal(stream(values, chunks), expected, JSON.stringify({ chunks, values }));
    }
  });
});

describe('secrets: the forms a value takes in output', () => {
  const formsOf = (value: string) => maskForms(value).sort();
  const sorted = (forms: string[]) => [...forms].sort();

  it('the value, trimmed, each line of a multi-line value, and the shell-quoted forms of set -x', () => {
    assert.deepEqual(formsOf('plain-token'), sorted(['plain-token']));
    assert.deepEqual(formsOf(' padded-token '), sorted([' padded-token ', 'padded-token']));
    assert.deepEqual(formsOf("it's-s3cret"), sorted(["it's-s3cret", "it'\\''s-s3cret", `it'"'"'s-s3cret`]));
    assert.deepEqual(formsOf('-----BEGIN KEY-----\r\nQUJDRA==\nRUY=\n-----END KEY-----\n'), sorted([
      '-----BEGIN KEY-----\r\nQUJDRA==\nRUY=\n-----END KEY-----\n', '-----BEGIN KEY-----\r\nQUJDRA==\nRUY=\n-----END KEY-----',
      '-----BEGIN KEY-----', 'QUJDRA==', 'RUY=', '-----END KEY-----',
      '-----BEGIN KEY-----\\r\\nQUJDRA==\\nRUY=\\n-----END KEY-----\\n', '-----BEGIN KEY-----\\r\\nQUJDRA==\\nRUY=\\n-----END KEY-----',
    ]));
    assert.deepEqual(formsOf('x\u0001y\u00e9z\u001bq\u007f'), sorted(['x\u0001y\u00e9z\u001bq\u007f', 'x\\001y\\303\\251z\\Eq\\177']));
  });

  it('leaves out forms shorter than 4 characters (a line "ab" of a key would mask every "ab")', () => {
    assert.deepEqual(formsOf('long-line\nab\n'), sorted(['long-line\nab\n', 'long-line\nab', 'long-line', 'long-line\\nab\\n', 'long-line\\nab']));
  });

  const traced: Array<[string, string, string, string]> = [
    ["bash set -x of a value with a quote", "it's-s3cret", "+ echo 'it'\\''s-s3cret'\n", "+ echo '***'\n"],
    ["busybox set -x of a value with a quote", "it's-s3cret", `+ echo 'it'"'"'s-s3cret'\n`, "+ echo '***'\n"],
    ['an unquoted echo of a value with a trailing space', 'trail-s3cret ', 'got trail-s3cret\n', 'got ***\n'],
    ['a PEM key through tr "\\n" " "', '-----BEGIN K-----\nQUJDRA==\nRUZHSA==\n-----END K-----\n', '-----BEGIN K----- QUJDRA== RUZHSA== -----END K----- \n', '*** *** *** *** \n'],
    ["bash's $'...' form", 'x\u0001y\u00e9z-s3c', "+ echo $'x\\001y\\303\\251z-s3c'\n", "+ echo $'***'\n"],
  ];
  for (const [name, value, text, expected] of traced) {
    it(`${name}: masked, for every split into 2 or 3 chunks and char by char`, () => {
      const forms = maskForms(value);
      assert.equal(scrubText(text, forms), expected);
      for (const chunks of splits(text)) assert.equal(stream(forms, chunks), expected, `chunks ${JSON.stringify(chunks)}`);
    });
  }
});
