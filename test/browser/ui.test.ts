// The web UI in a real browser (Debian's Chromium through playwright-core), against `caisson ui` and
// `caisson run --ui` on Docker: what a person does with it, watched through the data-* attributes the
// app sets (never sleeps).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runCaisson, type RunningCaisson } from '../helpers/cli.ts';
import { docker, listLabelled, requireDocker } from '../helpers/docker.ts';
import { launchBrowser, newPage, requireChromium, screenshotOnFailure, startWithUi, stop } from '../helpers/browser.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('web UI in a browser', function () {
  this.timeout(180_000);
  let browser: Browser;
  let dir: string;
  let page: Page | undefined;
  let caisson: (RunningCaisson & { url: string }) | undefined;

  before(async function () {
    requireChromium(this);
    await requireDocker(this);
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); });
  beforeEach(() => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'tmp', 'ui-browser-'));
  });
  afterEach(async function () {
    await screenshotOnFailure(this, page);
    await page?.context().close();
    page = undefined;
    await stop(caisson);
    caisson = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  const row = (path: string) => page!.locator(`.tree .row[data-path="${path}"]`);
  const waitState = (path: string, state: string, ms = 60_000) => page!.waitForSelector(`.tree .row[data-path="${path}"][data-state="${state}"]`, { timeout: ms });
  const open = async (url: string) => { page = await newPage(browser); await page.goto(url); };
  const runUi = async (file: string) => {
    caisson = await startWithUi(['run', file, '--ui', '--no-typecheck'], dir);
    await open(caisson.url);
    await page!.waitForSelector('[data-testid="run"]');
  };

  it('opens the printed URL: the runs list, then a run (the token leaves the address bar)', async () => {
    write('hello.ts', ["import { pipeline } from 'caisson';", "export default pipeline('hello').exec('greet', 'echo hi');"]);
    assert.equal(runCaisson(dir, 'run', 'hello.ts', '--runtime', 'fake', '--no-typecheck').code, 0);
    caisson = await startWithUi(['ui'], dir);
    await open(caisson.url);
    await page!.waitForSelector('[data-testid="runs"] tr[data-run][data-state="done"]');
    assert.doesNotMatch(page!.url(), /token=/);
    await page!.click('[data-testid="runs"] tr[data-run] a');
    await waitState('/hello/greet', 'done');
    assert.match(await page!.locator('[data-testid="counts"]').innerText(), /D\s*2/);
  });

  it('watches a live run\'s states change as they happen', async () => {
    write('live.ts', [
      "import { pipeline } from 'caisson';",
      "export default pipeline('live', { image: 'busybox:latest' }).exec('first', 'sleep 2').exec('second', 'echo two');",
    ]);
    await runUi('live.ts');
    await waitState('/live/first', 'running');
    assert.equal(await row('/live/second').getAttribute('data-state'), 'pending');
    await waitState('/live/second', 'done');
    await page!.waitForSelector('[data-testid="run"][data-state="done"][data-runner="finished"]');
  });

  it('opens a node\'s log while it prints: live lines, stderr told apart, colours rendered', async () => {
    write('ticks.ts', [
      "import { pipeline } from 'caisson';",
      "export default pipeline('ticks', { image: 'busybox:latest' })",
      "  .exec('count', 'for i in 1 2 3 4 5 6 7 8 9 10; do echo \"tick $i\"; sleep 0.4; done; printf \"\\\\033[32mgreen\\\\033[0m\\\\n\"; echo oops >&2');",
    ]);
    await runUi('ticks.ts');
    await waitState('/ticks/count', 'running');
    await row('/ticks/count').click();
    await page!.click('[data-testid="node-panel"] button[data-tab="log"]');
    await page!.waitForSelector('[data-testid="log"] .out.stdout');
    // A line printed after the log was opened, while the node still runs.
    await page!.waitForFunction(() => document.querySelector('[data-testid="log"]')?.textContent?.includes('tick 8'));
    await waitState('/ticks/count', 'done');
    await page!.waitForSelector('[data-testid="log"] .out.stderr');
    assert.match(await page!.locator('[data-testid="log"] .out.stderr').last().innerText(), /oops/);
    assert.equal(await page!.locator('[data-testid="log"] .ansi-green-fg').first().innerText(), 'green');
  });

  it('edits a failed node\'s command, resets it, and watches it pass (live, while the run goes on)', async () => {
    write('fix.ts', [
      "import { pipeline } from 'caisson';",
      "export default pipeline('fix', { image: 'busybox:latest', parallel: true }).exec('lint', 'exit 3').exec('slow', 'sleep 8');",
    ]);
    await runUi('fix.ts');
    await waitState('/fix/lint', 'error');
    await row('/fix/lint').click();
    await page!.click('button[data-action="edit"]');
    await page!.fill('[data-testid="edit"] textarea[name="command"]', 'echo fixed');
    await page!.click('[data-testid="edit"] button[data-action="save-reset"]');
    await waitState('/fix/lint', 'done');
    assert.equal(await page!.locator('[data-testid="command"]').innerText(), 'echo fixed');
    await page!.waitForSelector('[data-testid="run"][data-state="done"]');
    const ir = JSON.parse(readFileSync(join(dir, '.caisson/runs', readdirSync(join(dir, '.caisson/runs'))[0]!, 'ir.json'), 'utf8'));
    assert.equal(ir.root.children[0].command, 'echo fixed');
  });

  it('skips a pending node in a live run', async () => {
    write('skip.ts', [
      "import { pipeline } from 'caisson';",
      "export default pipeline('skip', { image: 'busybox:latest' }).exec('first', 'sleep 4').exec('second', 'echo two').exec('third', 'echo three');",
    ]);
    await runUi('skip.ts');
    await waitState('/skip/first', 'running');
    await row('/skip/second').click();
    await page!.click('[data-testid="node-panel"] button[data-action="skip"]');
    await page!.waitForSelector('.tree .row[data-path="/skip/second"][data-skipped="true"]');
    assert.equal(await row('/skip/first').getAttribute('data-state'), 'running', 'skipped while the run went on');
    await waitState('/skip/third', 'done');
    assert.equal(await row('/skip/second').getAttribute('data-state'), 'pending');
    await page!.waitForSelector('[data-testid="run"][data-state="done"]');
  });

  it('rebuilds an image: a new image id, and the node that used it runs again on it', async () => {
    const tag = `ui-rebuild-${process.pid}`;
    write('img.ts', [
      "import { image, pipeline } from 'caisson';",
      `const stamp = image({ name: '${tag}', dockerfileText: 'FROM busybox:latest\\nRUN date +%s%N > /stamp' });`,
      "export default pipeline('img', { image: stamp }).exec('show', 'cat /stamp');",
    ]);
    try {
      await runUi('img.ts');
      await waitState('/img/show', 'done');
      await row('/img/show').click();
      const before = await page!.locator('[data-testid="image-id"]').innerText();
      assert.match(before, /^sha256:/);
      await page!.click('[data-testid="node-panel"] button[data-action="rebuild image"]');
      await page!.waitForFunction((old) => { const t = document.querySelector('[data-testid="image-id"]')?.textContent; return t && t !== old && t.startsWith('sha256:'); }, before, { timeout: 90_000 });
      // The run had finished: the rebuild reset the node on the record; run pending runs it on the new image.
      await waitState('/img/show', 'pending');
      await page!.click('button[data-action="resume"]');
      await page!.waitForSelector('.tree .row[data-path="/img/show"][data-state="done"] .attempt', { timeout: 60_000 });
      assert.equal(await row('/img/show').locator('.attempt').innerText(), '#2');
    } finally {
      // The run's process first: while it lives, its containers hold the image and removing the tag fails.
      await stop(caisson);
      caisson = undefined;
      for (const img of await docker.listImages({ filters: { reference: [`caisson/${tag}`] } })) {
        for (const t of img.RepoTags ?? []) if (t.startsWith(`caisson/${tag}:`)) await docker.getImage(t).remove().catch((e: Error) => console.warn(`  could not remove ${t}: ${e.message}`));
      }
    }
  });

  it('opens a debug shell in the browser, runs /caisson/cmd.sh in it, and removes the container when closed', async () => {
    write('dbg.ts', [
      "import { pipeline } from 'caisson';",
      "export default pipeline('dbg', { image: 'busybox:latest', env: { WHO: 'browser' } }).exec('hello', 'echo \"cmd.sh says hi to $WHO\"');",
    ]);
    await runUi('dbg.ts');
    await waitState('/dbg/hello', 'done');
    await row('/dbg/hello').click();
    await page!.click('[data-testid="node-panel"] button[data-tab="debug"]');
    assert.match(await page!.locator('[data-testid="debug-command"]').innerText(), /^caisson debug \S+ \/dbg\/hello$/);
    await page!.click('button[data-action="open-shell"]');
    await page!.waitForSelector('[data-testid="shell-status"]:has-text("connected")', { timeout: 60_000 });
    await page!.click('[data-testid="shell"] .term');
    await page!.keyboard.type('/caisson/cmd.sh\n');
    await page!.waitForFunction(() => document.querySelector('[data-testid="shell"] .xterm-rows')?.textContent?.includes('cmd.sh says hi to browser'));
    const mine = `dev.caisson.debug-origin=ui: run ${readdirSync(join(dir, '.caisson/runs'))[0]}`;
    assert.equal((await listLabelled(mine)).length, 1, 'one debug container while the shell is open');
    await page!.click('[data-testid="shell"] button:has-text("close shell")');
    for (let i = 0; i < 100 && (await listLabelled(mine)).length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await listLabelled(mine)).length, 0, 'removed when the shell closed');
  });

  it('shows the timeline: a bar per attempt, side by side for what ran in parallel', async () => {
    write('tl.ts', [
      "import { pipeline } from 'caisson';",
      "export default pipeline('tl', { image: 'busybox:latest' })",
      "  .exec('prep', 'sleep 0.5').parallel('fan', (p) => p.exec('a', 'sleep 1.5').exec('b', 'sleep 1.5')).exec('end', 'true');",
    ]);
    await runUi('tl.ts');
    await page!.waitForSelector('[data-testid="run"][data-state="done"]');
    await page!.click('button[data-view="timeline"]');
    await page!.waitForSelector('[data-testid="timeline"] .tl-row[data-path="/tl/fan/b"] .bar[data-state="done"]');
    const box = async (path: string) => (await page!.locator(`.tl-row[data-path="${path}"] .bar`).first().boundingBox())!;
    const [prep, a, b, end] = [await box('/tl/prep'), await box('/tl/fan/a'), await box('/tl/fan/b'), await box('/tl/end')];
    assert.ok(a.x >= prep.x + prep.width - 2, 'the fan-out starts after prep');
    assert.ok(Math.abs(a.x - b.x) < a.width / 2, `a and b ran side by side (${a.x} vs ${b.x})`);
    assert.ok(end.x >= Math.max(a.x + a.width, b.x + b.width) - 2, 'end comes after both');
  });
});
