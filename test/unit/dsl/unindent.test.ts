import { strict as assert } from 'node:assert';
import { unindent } from '../../../core/dsl/index.ts';

describe('unindent (docs/conducto-semantics.md#unindent)', () => {
  const cases: Array<[string, string, string]> = [
    ['template literal', '\n      set -e\n      echo push\n  ', 'set -e\necho push'],
    ['nested indentation kept relative', '\n    if true; then\n      echo yes\n    fi\n', 'if true; then\n  echo yes\nfi'],
    ['first line text, continuation indented', 'echo a\n    echo b\n    echo c', 'echo a\necho b\necho c'],
    ['tabs count as 4 spaces', '\n\techo a\n\t\techo b\n', 'echo a\n    echo b'],
    ['blank lines ignored for the minimum', '\n    a\n\n    b\n', 'a\n\nb'],
    ['single line untouched', '  echo hi  ', '  echo hi  '],
    ['no indented continuation: untouched', 'echo a\necho b\n', 'echo a\necho b\n'],
    ['a zero-indent continuation line: untouched', '\n    a\nb', '\n    a\nb'],
  ];
  for (const [label, input, expected] of cases) {
    it(label, () => assert.equal(unindent(input), expected));
  }
});
