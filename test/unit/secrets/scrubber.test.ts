// Secret masking in streamed output: whatever way the text is cut into chunks, no secret gets through.
import { strict as assert } from 'node:assert';
import { SecretScrubber, scrubText } from '../../../core/plugin-kit.ts';

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
});
