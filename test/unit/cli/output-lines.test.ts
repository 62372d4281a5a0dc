// Reporters cut output into lines in linear time and bounded memory: output without newlines is let out
// in pieces of at most MAX_PARTIAL_LINE characters as it arrives, never held (and re-split) whole.
import { strict as assert } from 'node:assert';
import { compile, pipeline, type RunEvent } from '../../../core/index.ts';
import { LineSplitter, MAX_PARTIAL_LINE } from '../../../cli/line-splitter.ts';
import { OutputTails } from '../../../cli/output-tails.ts';
import { PlainReporter } from '../../../cli/plain-reporter.ts';
import { LiveStateUpdater, liveStateOf } from '../../../cli/tty-state.ts';

const output = (data: string, stream: 'stdout' | 'stderr' = 'stdout'): RunEvent =>
  ({ type: 'output', at: 0, path: '/p/a', attempt: 1, stream, data });

describe('reporters: output without newlines', () => {
  it('LineSplitter: lines across chunks, and a partial line longer than the limit let out in pieces', () => {
    const s = new LineSplitter(4);
    assert.deepEqual(s.push('ab'), []);
    assert.deepEqual(s.push('c\nde'), ['abc']);
    assert.deepEqual(s.push('fghij'), ['defg']);
    assert.deepEqual(s.push('\n\nxyzw'), ['hij', '']);
    assert.deepEqual(s.push('\n'), ['xyzw']);
    assert.deepEqual(s.push('123456789'), ['1234', '5678']);
    assert.equal(s.flush(), '9');
    assert.equal(s.flush(), undefined);
  });

  it('the plain reporter prints a long line in pieces while it arrives, all of it, once per chunk', () => {
    const printed: string[] = [];
    const r = new PlainReporter((l) => printed.push(l));
    const chunk = 'x'.repeat(1000);
    for (let i = 0; i < 300; i++) r.onEvent(output(chunk));
    const before = printed.length;
    r.onEvent({ type: 'run-finished', at: 0, runId: 'r', state: 'done' });
    const lines = printed.join('\n').split('\n');
    assert.ok(before >= 4, `only ${before} writes before the line ended`);
    assert.ok(lines.every((l) => l.length <= MAX_PARTIAL_LINE + 40), 'a printed line is longer than the limit');
    assert.equal(lines.map((l) => l.replace(/^.*? \| /, '')).join(''), chunk.repeat(300));
    // Many lines in one chunk are one write, not one per line.
    printed.length = 0;
    r.onEvent(output('line\n'.repeat(10_000)));
    assert.equal(printed.length, 1);
    assert.equal(printed[0]!.split('\n').length, 10_000);
  });

  it('the failure tails keep at most their line count of bounded lines, whatever the output', () => {
    const tails = new OutputTails(20);
    for (let i = 0; i < 2000; i++) tails.add('/p/a', 'y'.repeat(1000));
    const kept = tails.get('/p/a');
    assert.ok(kept.length <= 20 && kept.every((l) => l.length <= MAX_PARTIAL_LINE), `${kept.length} lines, longest ${Math.max(...kept.map((l) => l.length))}`);
    tails.add('/p/a', 'end\n'.repeat(500_000)); // one huge chunk of lines: no call-stack overflow
    assert.deepEqual(tails.get('/p/a'), Array(20).fill('end'));
  });

  it('the live tree keeps the last non-empty line, cut, from chunks of any size', () => {
    const st = liveStateOf(compile(pipeline('p').exec('a', 'x')));
    const up = new LiveStateUpdater(st);
    up.apply(output(`${'first\n'.repeat(100_000)}last one\n\n`));
    assert.equal(st.nodes[1]!.lastLine, 'last one');
    for (let i = 0; i < 1000; i++) up.apply(output('z'.repeat(1000)));
    assert.ok(st.nodes[1]!.lastLine!.length <= 500);
  });
});
