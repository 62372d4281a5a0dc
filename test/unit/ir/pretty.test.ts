import { strict as assert } from 'node:assert';
import { compile, pipeline } from '../../../core/dsl/index.ts';
import { pretty } from '../../../core/ir/index.ts';

const tree = () => compile(
  pipeline('ci')
    .exec('install', 'npm ci')
    .parallel('checks', (p) => p.exec('lint', 'npm run lint').exec('unit', ['npm', 'test', '--', "it's"]))
    .serial('deploy', (s) => {
      let out = s;
      for (let i = 0; i < 11; i++) out = out.exec(`step${i}`, `echo ${i}\necho done`);
      return out;
    })
    .exec('prod', 'echo prod', { skip: true }),
);

describe('pretty', () => {
  it('renders the tree as Conducto does (docs/conducto-semantics.md#pretty): Serial indices padded to the widest (no colour)', () => {
    const expected = [
      '/ci',
      '├─0 install   npm ci',
      '├─1 checks',
      '│ ├─ lint   npm run lint',
      "│ └─ unit   npm test -- 'it'\"'\"'s'",
      '├─2 deploy',
      '│ ├─00 step0   echo 0\\necho done',
      '│ ├─01 step1   echo 1\\necho done',
      '│ ├─02 step2   echo 2\\necho done',
      '│ ├─03 step3   echo 3\\necho done',
      '│ ├─04 step4   echo 4\\necho done',
      '│ ├─05 step5   echo 5\\necho done',
      '│ ├─06 step6   echo 6\\necho done',
      '│ ├─07 step7   echo 7\\necho done',
      '│ ├─08 step8   echo 8\\necho done',
      '│ ├─09 step9   echo 9\\necho done',
      '│ └─10 step10   echo 10\\necho done',
      '└─3 prod   echo prod (skip)',
    ].join('\n');
    assert.equal(pretty(tree()), expected);
    assert.equal(pretty(tree(), { color: false }), expected);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(pretty(tree()), /\x1b\[/);
  });

  it('colours names only when asked: blue groups, cyan execs, dim skip', () => {
    const out = pretty(tree(), { color: true });
    assert.ok(out.includes('\x1b[34m/ci\x1b[39m'), 'root in blue');
    assert.ok(out.includes('\x1b[34mchecks\x1b[39m'), 'parallel in blue');
    assert.ok(out.includes('\x1b[36minstall\x1b[39m'), 'exec in cyan');
    assert.ok(out.includes('\x1b[2m(skip)\x1b[22m'), 'skip dimmed');
  });
});
