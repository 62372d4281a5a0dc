/**
 * Regenerates the README's screenshots of the web UI (docs/ui/run-view.png, node-panel.png,
 * timeline.png): runs a small CI-like pipeline on Docker with `caisson run --ui` in a temp folder and
 * photographs it in Debian's Chromium (scripts/ensure-chromium.sh installs it) through playwright-core,
 * as the browser tests drive it. `npm run screenshots`. Needs Docker and busybox:latest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, newPage, startWithUi, stop } from '../test/helpers/browser.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs/ui');

const PIPELINE = `import { pipeline } from 'caisson';

export default pipeline('ci', { image: 'busybox:latest', env: { CI: 'true' } })
  .exec('checkout', 'echo "cloned main at 3f2a9c1"; sleep 0.5')
  .parallel('checks', (p) => p
    .exec('lint', 'echo "linting 214 files"; sleep 1.2; printf "\\\\033[32m✔ no problems\\\\033[0m\\\\n"')
    .exec('types', 'echo "checking types"; sleep 1.6; echo "src/api.ts(42,7): error TS2322: Type string is not assignable to type number" >&2; exit 2', { env: { NODE_OPTIONS: '--max-old-space-size=2048' } })
    .serial('unit', (s) => s
      .exec('core', 'for i in 1 2 3 4; do echo "core: suite $i ok"; sleep 0.6; done')
      .exec('cli', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo "cli: suite $i ok"; sleep 0.5; done')), { doc: 'everything that can run side by side' })
  .exec('package', 'echo "packing caisson-0.1.0.tgz"; sleep 0.5')
  .exec('deploy', 'echo deploying');
`;

async function main(): Promise<void> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'screenshots-'));
  writeFileSync(join(dir, 'ci.ts'), PIPELINE);
  const browser = await launchBrowser();
  const caisson = await startWithUi(['run', 'ci.ts', '--ui', '--no-typecheck'], dir);
  try {
    const page = await newPage(browser, { width: 1280, height: 640 });
    await page.goto(caisson.url);
    const state = (path: string, s: string) => page.waitForSelector(`.tree .row[data-path="${path}"][data-state="${s}"]`, { timeout: 120_000 });
    // The run view while it runs: types has failed, the CLI suites still print.
    await state('/ci/checks/types', 'error');
    await state('/ci/checks/unit/cli', 'running');
    await page.waitForTimeout(1500);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(OUT, 'run-view.png') });
    process.stdout.write('docs/ui/run-view.png\n');

    // The failed node's panel.
    await page.locator('.tree .row[data-path="/ci/checks/types"]').click();
    await page.waitForSelector('[data-testid="node-panel"] [data-testid="command"]');
    await page.waitForSelector('[data-testid="image-ref"]');
    await page.screenshot({ path: join(OUT, 'node-panel.png') });
    process.stdout.write('docs/ui/node-panel.png\n');

    // Fix it, as one would: edit its command, save and reset, run what is pending; then the timeline.
    await page.waitForSelector('[data-testid="run"][data-runner="finished"]', { timeout: 120_000 });
    await page.click('button[data-action="edit"]');
    await page.fill('[data-testid="edit"] textarea[name="command"]', 'echo "checking types"; sleep 1.2; echo "no type errors"');
    await page.click('[data-testid="edit"] button[data-action="save-reset"]');
    await state('/ci/checks/types', 'pending');
    await page.click('button[data-action="resume"]');
    await page.waitForSelector('[data-testid="run"][data-state="done"]', { timeout: 120_000 });
    await page.click('[data-testid="node-panel"] button[data-action="close"]');
    await page.click('button[data-view="timeline"]');
    await page.waitForSelector('[data-testid="timeline"] .tl-row .bar');
    await page.waitForSelector('[data-testid="note"]', { state: 'detached', timeout: 20_000 });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(OUT, 'timeline.png') });
    process.stdout.write('docs/ui/timeline.png\n');
  } finally {
    await browser.close();
    await stop(caisson);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
