// `caisson run` in a real terminal (tmux): the live tree ends as one final tree and the summary.
import { strict as assert } from 'node:assert';
import { Terminal } from '../../helpers/tmux.ts';
import { CAISSON_BIN } from '../../helpers/cli.ts';
import { copyFromCheckout, removeProject, tempProject } from '../../helpers/temp-project.ts';

describe('live tree in a terminal (and TERM=dumb)', function () {
  this.timeout(60_000);
  let term: Terminal | undefined;
  let dir: string;
  // A temp copy: the run records next to the pipeline file, which must not be in the checkout.
  beforeEach(() => { dir = tempProject('tty'); copyFromCheckout(dir, 'examples/hello.ts'); });
  afterEach(() => { term?.close(); removeProject(dir); });

  it('shows the final tree once, every node done, then the plain summary', async () => {
    term = new Terminal(`node ${CAISSON_BIN} run examples/hello.ts --runtime fake; echo "EXIT=$?"; sleep 60`, { cwd: dir, width: 90, height: 30 });
    const screen = await term.waitFor(/EXIT=\d+/);
    assert.match(screen, /EXIT=0/);
    const lines = screen.split('\n');
    assert.equal(lines.filter((l) => /^hello {2}run \S+ {2}P 0 {2}Q 0 {2}R 0 {2}D 7 {2}E 0 {2}K 0/.test(l)).length, 1, screen); // no leftover frames
    for (const node of ['hello  done', '  greet  done', '  fan-out  done', '    one  done', '    two  done', '    three  done', '  bye  done']) {
      assert.ok(lines.some((l) => l.startsWith(node)), `${node} in\n${screen}`);
    }
    assert.match(screen, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 7 {2}E 0 {2}K 0 {2}\(\d+\.\d+s\)$/m);
    assert.ok(!/\d{2}:\d{2}:\d{2}\.\d{3} {2}\/hello/.test(screen), 'no plain timestamped lines on a terminal');
  });

  it('TERM=dumb: plain timestamped lines on the terminal, no live tree', async () => {
    term = new Terminal(`TERM=dumb node ${CAISSON_BIN} run examples/hello.ts --runtime fake; echo "EXIT=$?"; sleep 60`, { cwd: dir, width: 90, height: 40 });
    const screen = await term.waitFor(/EXIT=\d+/);
    assert.match(screen, /EXIT=0/);
    assert.match(screen, /^\d{2}:\d{2}:\d{2}\.\d{3} {2}\/hello\/fan-out\/two {2}done/m, screen);
    assert.ok(!screen.split('\n').some((l) => /^hello {2}run \S+ {2}P /.test(l) || l.startsWith('  greet  done')), `a live tree was drawn:\n${screen}`);
    assert.match(screen, /^DONE {2}P 0 {2}Q 0 {2}R 0 {2}D 7 {2}E 0 {2}K 0/m);
  });
});
