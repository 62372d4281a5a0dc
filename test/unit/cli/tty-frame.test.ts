// The live tree's frame as a pure function of the state: what a user sees on the terminal.
import { strict as assert } from 'node:assert';
import { compile, pipeline } from '../../../core/index.ts';
import type { RunEvent } from '../../../core/index.ts';
import { renderFrame } from '../../../cli/tty-frame.ts';
import { countsLine, formatElapsed } from '../../../cli/state-text.ts';
import { liveStateOf, LiveStateUpdater } from '../../../cli/tty-state.ts';
import { truncateVisible, visibleLength } from '../../../cli/tty-text.ts';

const T0 = 1_000_000;
const ir = () => compile(pipeline('ci')
  .exec('build', 'make')
  .parallel('checks', (p) => p.exec('lint', 'x').exec('unit', 'x'))
  .exec('deploy', 'x'));

const state = (path: string, s: string, at: number, extra: object = {}): RunEvent =>
  ({ type: 'state', at, path, state: s, previous: 'pending', skipped: false, attempt: s === 'running' || s === 'done' || s === 'error' ? 1 : 0, ...extra }) as RunEvent;

function started() {
  const st = liveStateOf(ir());
  const up = new LiveStateUpdater(st);
  up.apply({ type: 'run-started', at: T0, runId: 'r1', pipeline: 'ci' });
  return { st, up };
}
const frame = (st: ReturnType<typeof liveStateOf>, now: number, width = 80, height = 24) => renderFrame(st, { now, width, height, color: false });

describe('live tree: frame', () => {
  it('shows every node with its state, elapsed time and the counts header', () => {
    const { st, up } = started();
    for (const e of [state('/ci', 'running', T0), state('/ci/build', 'running', T0), state('/ci/build', 'done', T0 + 2_500),
      state('/ci/checks', 'running', T0 + 2_500), state('/ci/checks/lint', 'running', T0 + 2_500), state('/ci/checks/unit', 'queued', T0 + 2_500)]) up.apply(e);
    up.apply({ type: 'output', at: T0 + 3_000, path: '/ci/checks/lint', attempt: 1, stream: 'stdout', data: 'checked 3 files\nchecking \x1b[1mfoo' });
    assert.deepEqual(frame(st, T0 + 7_200), [
      'ci  run r1  P 1  Q 1  R 3  D 1  E 0  K 0  7s',
      'ci  running  7s',
      '  build  done  2.5s',
      '  checks  running  4s',
      '    lint  running  4s  │ checking foo',
      '    unit  queued',
      '  deploy  pending',
    ]);
  });

  it('shows an error with its reason and the attempt number of a rerun', () => {
    const { st, up } = started();
    up.apply(state('/ci/build', 'running', T0, { attempt: 2 }));
    up.apply(state('/ci/build', 'error', T0 + 61_000, { attempt: 2, reason: 'exit code 3', exitCode: 3 }));
    assert.equal(frame(st, T0 + 70_000)[2], '  build  error  1m01s  attempt 2  exit code 3');
  });

  it('shows a node waiting for a retry with its reason ("retry 2/3 in 8s")', () => {
    const { st, up } = started();
    up.apply(state('/ci/build', 'running', T0));
    up.apply(state('/ci/build', 'queued', T0 + 1_000, { attempt: 1, reason: 'exit code 1; retry 2/3 in 8s', exitCode: 1 }));
    assert.equal(frame(st, T0 + 2_000)[2], '  build  queued  exit code 1; retry 2/3 in 8s');
  });

  it('counts like Conducto: one letter per state', () => {
    assert.equal(countsLine([{ state: 'done' }, { state: 'done' }, { state: 'killed' }, { state: 'pending' }]), 'P 1  Q 0  R 0  D 2  E 0  K 1');
    assert.deepEqual([formatElapsed(400, false), formatElapsed(12_900, true), formatElapsed(185_000, false), formatElapsed(3_720_000, true)], ['0.4s', '12s', '3m05s', '1h02m']);
  });

  it('shows image build progress above the tree until the run starts', () => {
    const st = liveStateOf(ir());
    const up = new LiveStateUpdater(st);
    up.applyImage({ type: 'image-build', image: 'app', tag: 'caisson/app:abc', reason: 'missing' });
    up.applyImage({ type: 'image-step', image: 'app', step: '[2/3] RUN npm ci', cached: false });
    assert.equal(frame(st, T0)[1], 'image app: [2/3] RUN npm ci');
    up.apply({ type: 'run-started', at: T0, runId: 'r1', pipeline: 'ci' });
    assert.ok(!frame(st, T0).some((l) => l.startsWith('image ')));
  });

  it('cuts every line to the terminal width (colour codes not counted) and never exceeds the height', () => {
    const { st, up } = started();
    up.apply(state('/ci/build', 'running', T0));
    up.apply({ type: 'output', at: T0, path: '/ci/build', attempt: 1, stream: 'stdout', data: `${'x'.repeat(300)}\n` });
    for (const color of [false, true]) {
      const lines = renderFrame(st, { now: T0, width: 40, height: 4, color });
      assert.ok(lines.length <= 3, `${lines.length} lines`);
      for (const l of lines) assert.ok(visibleLength(l) <= 39, l);
    }
    assert.equal(truncateVisible('\x1b[32mabcdef\x1b[39m', 4), '\x1b[32mabc…\x1b[0m');
    assert.equal(truncateVisible('abcd', 4), 'abcd');
  });

  describe('a tree taller than the terminal', () => {
    // Builders are immutable: each call returns the next one.
    const big = () => {
      let p = pipeline('big');
      for (let s = 0; s < 6; s++) {
        p = p.serial(`stage${s}`, (g) => { let h = g; for (let i = 0; i < 5; i++) h = h.exec(`t${i}`, 'x'); return h; });
      }
      return compile(p);
    };
    const run = (through: number) => {
      const st = liveStateOf(big());
      const up = new LiveStateUpdater(st);
      up.apply({ type: 'run-started', at: T0, runId: 'r', pipeline: 'big' });
      up.apply(state('/big', 'running', T0));
      for (let s = 0; s < through; s++) {
        up.apply(state(`/big/stage${s}`, 'running', T0));
        for (let i = 0; i < 5; i++) {
          up.apply(state(`/big/stage${s}/t${i}`, 'running', T0));
          up.apply(state(`/big/stage${s}/t${i}`, 'done', T0 + 1000, { previous: 'running' }));
        }
        up.apply(state(`/big/stage${s}`, 'done', T0 + 1000, { previous: 'running' }));
      }
      up.apply(state(`/big/stage${through}`, 'running', T0));
      up.apply(state(`/big/stage${through}/t0`, 'running', T0));
      return st;
    };

    it('folds finished subtrees into one line each, keeping the running one open', () => {
      const lines = frame(run(2), T0 + 2000, 80, 20);
      assert.ok(lines.length <= 19);
      assert.ok(lines.includes('  stage0  done  1.0s  (+5 nodes)'), lines.join('\n'));
      assert.ok(lines.includes('    t0  running  2s'), lines.join('\n'));
    });

    it('then folds untouched pending subtrees, and windows to the active part when still too tall', () => {
      const folded = frame(run(3), T0 + 2000, 80, 12);
      assert.ok(folded.includes('  stage5  pending  (+5 nodes)'), folded.join('\n'));
      const tiny = frame(run(3), T0 + 2000, 80, 6);
      assert.equal(tiny.length, 5);
      assert.match(tiny[1]!, /^… \d+ more above$/);
      assert.ok(tiny.includes('    t0  running  2s'), tiny.join('\n'));
    });
  });
});
