// The live tree's redraws: in place (up exactly the previous height), throttled, and only on change.
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { compile, pipeline } from '../../../core/index.ts';
import { TtyReporter } from '../../../cli/tty-reporter.ts';

const ir = () => compile(pipeline('ci').exec('a', 'x').exec('b', 'x'));

/** Waits (up to 2 s, for a loaded machine) until `pred` holds. */
async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await sleep(10);
}

function screen(rows = 24) {
  const writes: string[] = [];
  return { writes, columns: 60, rows, write: (t: string) => { writes.push(t); return true; } };
}

describe('live tree: redraws', () => {
  it('draws a frame, then redraws in place by moving up exactly its height, and stops when nothing changes', async () => {
    const s = screen();
    let now = 1000;
    const r = new TtyReporter(ir(), s, { color: false, interval: 10, now: () => now });
    r.start();
    const first = s.writes.find((w) => w.includes('ci  P 3'))!;
    assert.equal(first.split('\n').length - 1, 4); // header + 3 nodes
    // eslint-disable-next-line no-control-regex
    assert.ok(!/\x1b\[\d+A/.test(first), 'the first frame moves nowhere');
    r.onEvent({ type: 'run-started', at: 1000, runId: 'r1', pipeline: 'ci' });
    r.onEvent({ type: 'state', at: 1000, path: '/ci/a', state: 'done', previous: 'pending', skipped: false, attempt: 1 });
    await until(() => s.writes.some((w) => w.includes('a  done')));
    const redraw = s.writes.at(-1)!;
    assert.ok(redraw.startsWith('\x1b[4A\r'), JSON.stringify(redraw));
    assert.match(redraw, / {2}a {2}done/);
    assert.ok(redraw.endsWith('\x1b[J'));
    const count = s.writes.length;
    now += 5000; // time passes, but nothing runs: the frame is the same
    await sleep(50);
    assert.equal(s.writes.length, count, 'no redraw without a change');
    r.stop();
  });

  it('redraws while a node runs only when the shown time changes (once a second, not every tick)', async () => {
    const s = screen();
    let now = 0;
    const r = new TtyReporter(ir(), s, { color: false, interval: 5, now: () => now });
    r.start();
    r.onEvent({ type: 'run-started', at: 0, runId: 'r1', pipeline: 'ci' });
    r.onEvent({ type: 'state', at: 0, path: '/ci/a', state: 'running', previous: 'queued', skipped: false, attempt: 1 });
    await sleep(30);
    const count = s.writes.length;
    now = 400;
    await sleep(30);
    assert.equal(s.writes.length, count, 'same second: same frame');
    now = 1000;
    await until(() => s.writes.length > count);
    await sleep(30);
    assert.equal(s.writes.length, count + 1);
    assert.match(s.writes.at(-1)!, / {2}a {2}running {2}1s/);
    r.stop();
  });

  it('prints a note above the tree and keeps drawing below it', () => {
    const s = screen();
    const r = new TtyReporter(ir(), s, { color: false, interval: 1000, now: () => 0 });
    r.start();
    r.note('caisson: SIGINT: cancelling');
    const i = s.writes.findIndex((w) => w.includes('SIGINT'));
    assert.equal(s.writes[i - 1], '\x1b[4A\r\x1b[J'); // the old frame erased first
    assert.ok(s.writes[i + 1]!.startsWith('\r') && s.writes[i + 1]!.includes('ci  P 3'));
    r.stop();
    assert.ok(s.writes.at(-1)!.includes('\x1b[?25h'), 'cursor shown again');
  });
});
