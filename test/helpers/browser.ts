/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser download), headless, with the
 * flags this machine needs (no sandbox as root, no background networking on a closed network). A test
 * waits on `data-*` attributes the app sets, never on sleeps, and a failing one leaves a screenshot in
 * tmp/browser-failures/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCaisson, type RunningCaisson } from './cli.ts';

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Skips the suite when Chromium is missing, unless CI is set: then it fails (the setup script installs it). */
export function requireChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  const msg = `${CHROMIUM} is missing; run \`bash scripts/ensure-chromium.sh\``;
  if (process.env.CI) throw new Error(`${msg}. CI is set, so the browser tests must not be skipped.`);
  console.warn(`  skipping: ${msg}`);
  ctx.skip();
}

/** A headless Chromium (playwright makes each context a fresh, empty profile). */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });

/** A page of a new context, sized like a laptop screen. */
export async function newPage(browser: Browser, size = { width: 1400, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport: size });
  return context.newPage();
}

/** Saves a screenshot of `page` named after the current test when it failed. */
export async function screenshotOnFailure(ctx: Mocha.Context, page: Page | undefined): Promise<void> {
  if (!page || ctx.currentTest?.state !== 'failed') return;
  const dir = join(import.meta.dirname, '../../tmp/browser-failures');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${ctx.currentTest.title.replace(/[^\w-]+/g, '_').slice(0, 80)}.png`) }).catch(() => {});
}

/** The URL a `caisson ui` or `caisson run --ui` printed. */
export const printedUrl = (stdout: string): string | undefined => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(stdout)?.[0];

/** Starts `caisson …args` (ui, or run --ui) in `cwd` and waits for the URL it prints. */
export async function startWithUi(args: string[], cwd: string): Promise<RunningCaisson & { url: string }> {
  const c = startCaisson(args, cwd);
  await c.waitFor((out) => printedUrl(out) !== undefined, `caisson ${args.join(' ')} printed no UI URL (stderr: ${c.stderr()})`);
  return Object.assign(c, { url: printedUrl(c.stdout())! });
}

/** Stops a caisson process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
export async function stop(c: RunningCaisson | undefined): Promise<void> {
  if (!c || c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), 10_000);
  await c.exited;
  clearTimeout(timer);
}
