// The app: the runs list (#/), a run (#/run/ID, with ?node=PATH and ?view=timeline), its tree or
// timeline on the left and the selected node's panel on the right, kept live by one event stream.
import { html, render, useEffect, useMemo, useRef, useState } from '/vendor/preact-htm.js';
import { getJson, postJson, runUrl, RunStream } from './api.js';
import { NodePanel } from './node-panel.js';
import { Timeline } from './timeline.js';
import { buildNodes, nextError, visibleRows } from './tree-model.js';
import { TreeView } from './tree-view.js';
import { clock, countStates, elapsed, LETTERS, STATES } from './util.js';

/** The route in the address's fragment. */
function parseRoute() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const q = new URLSearchParams(query);
  const m = /^\/run\/(.+)$/.exec(path || '/');
  return m ? { run: decodeURIComponent(m[1]), node: q.get('node') ?? undefined, view: q.get('view') ?? 'tree' } : { run: undefined };
}

function go(route) {
  if (!route.run) { location.hash = '#/'; return; }
  const q = new URLSearchParams();
  if (route.node) q.set('node', route.node);
  if (route.view && route.view !== 'tree') q.set('view', route.view);
  location.hash = `#/run/${encodeURIComponent(route.run)}${q.toString() ? `?${q}` : ''}`;
}

function useNow(live) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!live) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  return live ? now : now;
}

function Counts({ counts }) {
  return html`<span class="counts" data-testid="counts">${STATES.map((s) => html`<span class=${`count ${s}`} title=${s}>${LETTERS[s]} <b>${counts[s] ?? 0}</b></span>`)}</span>`;
}

function RunsList({ title }) {
  const [runs, setRuns] = useState(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => getJson('/api/runs').then(setRuns, (e) => setError(e.message));
    load();
    const t = setInterval(load, 2000);
    return () => clearInterval(t);
  }, []);
  return html`<main class="runs">
    <h2>Runs <span class="muted">${title}</span></h2>
    ${error ? html`<p class="error">${error}</p>` : ''}
    ${!runs ? html`<p class="muted">Loading…</p>` : !runs.length ? html`<p class="muted">No runs recorded here yet: <code>caisson run FILE</code> records one.</p>` : html`
    <table class="run-table" data-testid="runs">
      <tr><th>run</th><th>pipeline</th><th>state</th><th>counts</th><th>started (UTC)</th><th>duration</th></tr>
      ${runs.map((r) => html`<tr data-run=${r.id} data-state=${r.state} onClick=${() => go({ run: r.id })}>
        <td><a href=${`#/run/${encodeURIComponent(r.id)}`}>${r.id}</a></td><td>${r.pipeline}</td>
        <td><span class=${`badge ${r.state}`}>${r.runner === 'running' ? 'running' : r.state}${r.runner === 'gone' ? ' (runner gone)' : ''}</span></td>
        <td>${r.error ? html`<span class="error">${r.error}</span>` : html`<${Counts} counts=${r.counts} />`}</td>
        <td>${clock(r.createdAt)}</td>
        <td>${r.durationMs !== undefined ? elapsed(r.durationMs, r.runner === 'running') : '-'}</td></tr>`)}
    </table>`}
  </main>`;
}

function RunView({ route, session }) {
  const [snap, setSnap] = useState(undefined);
  const [statuses, setStatuses] = useState({});
  const [attempts, setAttempts] = useState({});
  const [runner, setRunner] = useState('none');
  const [link, setLink] = useState('connecting');
  const [toggled, setToggled] = useState(new Set());
  const [versions, setVersions] = useState({});
  const [note, setNote] = useState(undefined);
  const [error, setError] = useState('');
  const stream = useRef(undefined);
  const id = route.run;

  useEffect(() => {
    let cancelled = false;
    setSnap(undefined);
    getJson(runUrl(id)).then((s) => {
      if (cancelled) return;
      setSnap(s);
      setStatuses(s.statuses);
      setAttempts(s.attempts);
      setRunner(s.runner.state);
      // Deltas are merged once per frame: a 10,000-node run sends hundreds a second, and each merge
      // copies the whole status table (bench/ui.bench.ts showed them, one by one, as most of the page's work).
      let pending;
      const flush = () => {
        const d = pending;
        pending = undefined;
        if (cancelled || !d) return;
        // A lazy node's subtree was grafted (or reset to its placeholder): the tree itself changed.
        if (d.tree) setSnap((old) => (old ? { ...old, tree: d.tree } : old));
        setStatuses((old) => ({ ...old, ...d.statuses }));
        setAttempts((old) => ({ ...old, ...d.attempts }));
        setRunner(d.runner);
        setVersions((old) => { const v = { ...old }; for (const [p, n] of Object.entries(d.touched)) v[p] = (v[p] ?? 0) + n; return v; });
      };
      stream.current = new RunStream(id, s.offset, {
        delta: (d) => {
          if (!pending) { pending = { statuses: {}, attempts: {}, touched: {} }; requestAnimationFrame(flush); }
          Object.assign(pending.statuses, d.statuses);
          Object.assign(pending.attempts, d.attempts);
          pending.runner = d.runner;
          if (d.tree) pending.tree = d.tree;
          for (const p of Object.keys(d.statuses)) pending.touched[p] = (pending.touched[p] ?? 0) + 1;
        },
        log: (d) => stream.current?.onLog?.(d),
        status: setLink,
      });
    }, (e) => setError(e.message));
    return () => { cancelled = true; stream.current?.dispose(); stream.current = undefined; };
  }, [id]);

  const nodes = useMemo(() => (snap ? buildNodes(snap.tree) : []), [snap]);
  const rows = useMemo(() => (nodes.length ? visibleRows(nodes[0], toggled) : []), [nodes, toggled]);
  const counts = useMemo(() => countStates(statuses), [statuses]);
  const now = useNow(runner === 'running');
  if (error) return html`<main><p class="error">${error}</p><a href="#/">all runs</a></main>`;
  if (!snap) return html`<main><p class="muted">Loading run ${id}…</p></main>`;
  const root = nodes[0];
  const rootStatus = statuses[root.path];
  const select = (path) => go({ ...route, node: path });
  const toggle = (path) => setToggled((old) => { const t = new Set(old); if (t.has(path)) t.delete(path); else t.add(path); return t; });
  const notify = (text, bad = false) => { setNote({ text, bad }); setTimeout(() => setNote(undefined), 6000); };
  const jumpToError = () => {
    const next = nextError(nodes, statuses, route.node);
    if (!next) { notify('no node failed'); return; }
    // Open the folded ancestors, so the failing node has a row.
    setToggled((old) => { const t = new Set(old); for (let n = nodes.find((x) => x.path === next)?.parent; n; n = n.parent) if (!rows.some((r) => r.node === n && !r.folded)) t.add(n.path); return t; });
    select(next);
  };
  const built = Object.entries(snap.images).filter(([, kind]) => kind !== 'ref').map(([n]) => n);
  const resume = async () => { try { await postJson(`${runUrl(id)}/resume`, {}); notify('running what is pending'); } catch (e) { notify(e.message, true); } };
  const rebuildAll = async () => { try { await postJson(`${runUrl(id)}/actions`, { op: 'rebuild', images: built }); notify(`rebuilt ${built.join(', ')}`); } catch (e) { notify(e.message, true); } };
  return html`<main class="run" data-testid="run" data-run=${id} data-state=${rootStatus?.state} data-runner=${runner}>
    <section class="run-head">
      <div class="title"><a href="#/" class="muted">runs</a> / <b>${snap.pipeline}</b> <code class="muted">${id}</code>
        <span class=${`badge ${rootStatus?.state}`} data-testid="run-state">${rootStatus?.state}</span>
        <span class=${`runner ${runner}`} title=${`link: ${link}`}>${runner === 'running' ? '● live' : runner === 'gone' ? 'runner gone' : runner === 'finished' ? 'finished' : 'not started'}</span>
        <span class="muted">${rootStatus?.startedAt ? `${clock(rootStatus.startedAt)} · ${elapsed((rootStatus.endedAt ?? now) - rootStatus.startedAt, rootStatus.endedAt === undefined)}` : ''}</span>
      </div>
      <div class="tools">
        <${Counts} counts=${counts} />
        <button onClick=${jumpToError} data-action="next-error" title="the next node in error">next error</button>
        ${runner !== 'running' && session.can.resume && (counts.pending > 0 || counts.killed > 0) ? html`<button class="primary" data-action="resume" onClick=${resume}>run pending</button>` : ''}
        ${built.length && session.can.rebuild ? html`<button data-action="rebuild-all" onClick=${rebuildAll}>rebuild images</button>` : ''}
        <nav class="tabs views">${['tree', 'timeline'].map((v) => html`<button class=${route.view === v ? 'on' : ''} data-view=${v} onClick=${() => go({ ...route, view: v })}>${v}</button>`)}</nav>
      </div>
    </section>
    ${note ? html`<div class=${`note${note.bad ? ' bad' : ''}`} data-testid="note">${note.text}</div>` : ''}
    <section class="body">
      ${route.view === 'timeline'
        ? html`<${Timeline} rows=${rows} attempts=${attempts} selected=${route.node} now=${now} onSelect=${select} />`
        : html`<${TreeView} rows=${rows} statuses=${statuses} selected=${route.node} now=${now} onSelect=${select} onToggle=${toggle} />`}
      ${route.node && stream.current ? html`<${NodePanel} runId=${id} path=${route.node} status=${statuses[route.node]} version=${versions[route.node] ?? 0}
        now=${now} can=${session.can} stream=${stream.current} notify=${notify} onClose=${() => go({ ...route, node: undefined })} />` : ''}
    </section>
  </main>`;
}

function App() {
  const [route, setRoute] = useState(parseRoute());
  const [session, setSession] = useState(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    const on = () => setRoute(parseRoute());
    window.addEventListener('hashchange', on);
    getJson('/api/session').then((s) => {
      setSession(s);
      document.title = `caisson · ${s.title}`;
      if (s.runId && !location.hash) go({ run: s.runId });
    }, (e) => setError(e.message));
    return () => window.removeEventListener('hashchange', on);
  }, []);
  if (error) return html`<main><p class="error">${error}</p></main>`;
  if (!session) return html`<main><p class="muted">Loading…</p></main>`;
  return html`<div class="app">
    <header class="top"><a href="#/" class="logo">caisson</a><span class="muted">${session.title}</span></header>
    ${route.run ? html`<${RunView} route=${route} session=${session} key=${route.run} />` : html`<${RunsList} title=${session.title} />`}
  </div>`;
}

render(html`<${App} />`, document.getElementById('root'));
