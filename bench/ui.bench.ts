/**
 * Web UI benchmark, in Debian's Chromium (playwright-core), against the UI server in this process with
 * live runs on the fake runtime paced by the real clock (as `caisson run --ui` serves its own run).
 * Prints figures only; never asserts.
 *   node --import tsx bench/ui.bench.ts          (npm run bench -- ui)
 *
 * 1. State change → browser shows it: a Serial of 25 Execs of 300 ms each. For every running/done
 *    change, the time from the engine's event to the row's data-state changing in the page (a
 *    MutationObserver), against two baselines measured in the same run: the same change reaching a
 *    Node client of the same event stream (the server's part), and a fetch round trip from the page to
 *    the server (the floor of anything pushed over HTTP).
 * 2. A 10,000-node run: a Parallel of 10,000 Execs (durations spread over 15 s, so ~700 changes a
 *    second) opened in the page, the fan-out unfolded (10,000 rows, virtualised) and scrolled every
 *    frame for 5 s while it updates: frame rate, long frames (> 50 ms), JS heap and DOM nodes (Chrome's
 *    Performance.getMetrics), and time to the first rows (opened once every Exec has started, with the
 *    snapshot's own fetch and parse times beside it); against the same on a 100-node run. The engine
 *    runs in this process, as in `caisson run --ui`, so its work shares the two figures' CPU.
 *    PROFILE=1 also prints the page's top functions (self time) while it opens the big run.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Engine, RunRecorder, RunStore, compile, pipeline, systemClock, type Run, type RunMeta } from '../core/plugin-kit.ts';
import { FakeRuntimeProvider, type VirtualClock } from '../plugins/runtime-fake/index.ts';
import { startUiServer } from '../plugins/ui/index.ts';
import { launchBrowser, newPage } from '../test/helpers/browser.ts';

const work = mkdtempSync(join(tmpdir(), 'caisson-ui-bench-'));
const store = new RunStore(join(work, 'runs'));
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)]! : NaN; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))]! : NaN; };
const f = (n: number, d = 1) => n.toFixed(d);

/** Starts `builder`'s pipeline live, recorded under `id`, with per-path durations in real ms. */
function startRun(id: string, builder: Parameters<typeof compile>[0], durations: (path: string) => number | undefined) {
  const ir = compile(builder);
  const meta: RunMeta = { version: 1, runId: id, pipeline: ir.root.name, file: join(work, 'p.ts'), exportName: 'default', runtime: 'fake', createdAt: Date.now() };
  const record = store.create(meta, ir);
  // The fake paced by the real clock: durations take real time, as containers would.
  const fake = new FakeRuntimeProvider(systemClock as unknown as VirtualClock);
  const visit = (n: typeof ir.root, path: string) => {
    if (n.kind === 'exec') { const d = durations(path); if (d !== undefined) fake.script(path, { duration: d }); } else for (const c of n.children) visit(c, `${path}/${c.name}`);
  };
  visit(ir.root, `/${ir.root.name}`);
  const run: Run = new Engine(fake, systemClock, { capacity: { cpu: 100_000, mem: 1_000_000 } }).createRun(ir, { runId: id });
  const events: Array<{ path: string; state: string; t: number }> = [];
  run.on((e) => { if (e.type === 'state') events.push({ path: e.path, state: e.state, t: Date.now() }); });
  const recorder = new RunRecorder(run, record, 'run');
  const abort = new AbortController();
  const finished = run.start({ signal: abort.signal }).catch(() => undefined).finally(() => recorder.close());
  return { events, finished, stop: async () => { abort.abort(new Error('bench over')); await finished; } };
}

/** Follows a run's event stream like the page does, noting when each (path, state) arrives. */
function sseClient(port: number, token: string, id: string) {
  const seen: Array<{ path: string; state: string; t: number }> = [];
  const req = request({ host: '127.0.0.1', port, path: `/api/runs/${id}/events?from=0`, headers: { authorization: `Bearer ${token}` } }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      const t = Date.now();
      buf += d;
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!data) continue;
        const statuses = (JSON.parse(data) as { statuses?: Record<string, { state: string }> }).statuses ?? {};
        for (const [path, s] of Object.entries(statuses)) seen.push({ path, state: s.state, t });
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return { seen, close: () => req.destroy() };
}

/** Records, in the page, every change of a tree row's data-state with its epoch ms. */
const observeRows = (page: Page) => page.evaluate(() => {
  const w = window as unknown as { seen: Array<{ path: string; state: string; t: number }> };
  w.seen = [];
  new MutationObserver((list) => {
    const t = Date.now();
    for (const m of list) {
      const el = m.target as HTMLElement;
      if (el.classList?.contains('row') && el.dataset.path) w.seen.push({ path: el.dataset.path, state: el.dataset.state ?? '', t });
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
});

/** Delays from each engine event to its first sighting at or after it. */
function delays(events: Array<{ path: string; state: string; t: number }>, seen: Array<{ path: string; state: string; t: number }>): number[] {
  const out: number[] = [];
  for (const e of events) {
    if (e.state !== 'running' && e.state !== 'done') continue;
    const hit = seen.find((s) => s.path === e.path && s.state === e.state && s.t >= e.t - 2);
    if (hit) out.push(hit.t - e.t);
  }
  return out;
}

// Scrolls the tree a bit every frame for 5 s, counting frames and gaps over 50 ms. A string: tsx would
// wrap named functions of a callback in a helper the page does not have.
const MEASURE_FRAMES = `new Promise((resolve) => {
  const tree = document.querySelector('.tree');
  let frames = 0, long = 0, worst = 0;
  const start = performance.now();
  let last = start;
  const step = (t) => {
    frames++;
    const gap = t - last;
    if (gap > 50) long++;
    worst = Math.max(worst, gap);
    last = t;
    tree.scrollTop = (tree.scrollTop + 130) % Math.max(1, tree.scrollHeight - tree.clientHeight);
    if (t - start < 5000) requestAnimationFrame(step); else resolve({ frames, long, ms: t - start, worst });
  };
  requestAnimationFrame(step);
})`;

const server = await startUiServer({ runs: { ids: () => store.ids(), open: (id) => store.open(id) }, hooks: { debugCommand: () => 'caisson debug …' } });
const token = new URL(server.url).searchParams.get('token')!;
const browser = await launchBrowser();
try {
  // 1. Latency.
  {
    const page = await newPage(browser);
    await page.goto(server.url);
    const id = 'latency';
    const { events, finished } = startRun(id, pipeline('lat').serial('steps', (s) => { let b = s; for (let i = 0; i < 25; i++) b = b.exec(`n${i}`, 'true'); return b; }), () => 300);
    const sse = sseClient(server.port, token, id);
    await page.goto(`${new URL(server.url).origin}/#/run/${id}`);
    await page.waitForSelector('.tree .row[data-path="/lat/steps/n0"]');
    await observeRows(page);
    await finished;
    await page.waitForSelector('.tree .row[data-path="/lat/steps/n24"][data-state="done"]');
    const seen = await page.evaluate(() => (window as unknown as { seen: Array<{ path: string; state: string; t: number }> }).seen);
    sse.close();
    const rtts = await page.evaluate(async () => {
      const out: number[] = [];
      for (let i = 0; i < 30; i++) { const t0 = performance.now(); await (await fetch('/api/session')).text(); out.push(performance.now() - t0); }
      return out;
    });
    // Changes already shown before the observer started are not counted (the first node's).
    const ui = delays(events.filter((e) => e.path !== '/lat/steps/n0'), seen);
    const node = delays(events.filter((e) => e.path !== '/lat/steps/n0'), sse.seen);
    console.log(`1. state change → shown: browser median ${f(median(ui))} ms, p95 ${f(pct(ui, 0.95))} ms, max ${f(Math.max(...ui))} ms (${ui.length} changes)`);
    console.log(`   baselines: the event stream in a Node client median ${f(median(node))} ms (p95 ${f(pct(node, 0.95))}); a fetch round trip from the page median ${f(median(rtts))} ms`);
    console.log(`   ratios: browser / Node stream client ${f(median(ui) / median(node), 2)}, browser / fetch round trip ${f(median(ui) / median(rtts), 2)}`);
    await page.context().close();
  }

  // 2. The 10,000-node run against a 100-node one.
  const big = async (n: number) => {
    const id = `fan-${n}`;
    const run = startRun(id, pipeline('big', { parallel: true }).parallel('shard', (p) => { let b = p; for (let i = 0; i < n; i++) b = b.exec(`s${i}`, 'true'); return b; }),
      (path) => 1000 + ((Number(/s(\d+)$/.exec(path)?.[1] ?? 0) * 7919) % 15_000));
    // Opened once every Exec has started (the engine's first burst of 2 changes per Exec is over), so
    // the time to the first rows is the UI's, not the engine's, in this shared process.
    while (run.events.filter((e) => e.state === 'running').length < n) await new Promise((r) => setTimeout(r, 50));
    const page = await newPage(browser);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(server.url);
    const t0 = Date.now();
    if (process.env.PROFILE) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
    await page.goto(`${new URL(server.url).origin}/#/run/${id}`);
    await page.waitForSelector('.tree .row[data-path="/big/shard"]');
    if (process.env.PROFILE) {
      const { profile } = await cdp.send('Profiler.stop') as { profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] } };
      const self = new Map<number, number>();
      profile.samples.forEach((sid, i) => self.set(sid, (self.get(sid) ?? 0) + (profile.timeDeltas[i] ?? 0)));
      const byFn = new Map<string, number>();
      for (const node of profile.nodes) { const k = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.replace(/.*\//, '')}:${node.callFrame.lineNumber}`; byFn.set(k, (byFn.get(k) ?? 0) + (self.get(node.id) ?? 0)); }
      console.log([...byFn].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${Math.round(v / 1000)}ms`).join('\n'));
    }
    const firstRows = Date.now() - t0;
    if (n > 40) await page.click('.tree .row[data-path="/big/shard"] .caret');
    await page.waitForSelector(`.tree[data-rows="${n + 2}"]`);
    const frames = await page.evaluate(MEASURE_FRAMES) as { frames: number; long: number; ms: number; worst: number };
    // Where the first rows' time goes: the snapshot's request alone (the server reads the record, the page parses it).
    const snapshot = await page.evaluate(async (id) => { const t0 = performance.now(); const text = await (await fetch(`/api/runs/${id}`)).text(); const t1 = performance.now(); JSON.parse(text); return { fetchMs: t1 - t0, parseMs: performance.now() - t1, kb: text.length / 1000 }; }, id);
    const metrics = Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]));
    const changes = run.events.length;
    await run.stop();
    await page.context().close();
    return { fps: (frames.frames * 1000) / frames.ms, long: frames.long, worst: frames.worst, heapMb: metrics.JSHeapUsedSize! / 1e6, nodes: metrics.Nodes!, firstRows, changes, snapshot };
  };
  const base = await big(100);
  const large = await big(10_000);
  const line = (name: string, r: typeof base) => `${name}: ${f(r.fps)} fps while scrolling and updating (${r.long} frames over 50 ms, worst ${f(r.worst, 0)} ms), JS heap ${f(r.heapMb)} MB, ${r.nodes} DOM nodes, first rows after ${r.firstRows} ms (a snapshot alone: ${f(r.snapshot.kb, 0)} kB in ${f(r.snapshot.fetchMs, 0)} ms + ${f(r.snapshot.parseMs, 0)} ms to parse), ${r.changes} state changes by then`;
  console.log(`2. ${line('10,000 nodes', large)}`);
  console.log(`   baseline ${line('100 nodes', base)}`);
  console.log(`   ratios 10,000 / 100: frame rate ${f(large.fps / base.fps, 2)}, JS heap ${f(large.heapMb / base.heapMb, 2)}, DOM nodes ${f(large.nodes / base.nodes, 2)}, first rows ${f(large.firstRows / base.firstRows, 2)}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
