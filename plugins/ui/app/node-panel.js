// A node's panel: its state and actions, what it runs (command, env with secrets named, never shown),
// its resolved options and where each came from, its image (definition, ref, id, Dockerfile), every
// attempt with its timings, the log of any attempt, and debugging (the exact `caisson debug` command,
// or a shell in the browser).
import { html, useEffect, useState } from '/vendor/preact-htm.js';
import { act, getJson, runUrl } from './api.js';
import { LogView } from './log-view.js';
import { Shell } from './shell.js';
import { clock, commandText, durationOf, elapsed, reasonOf, timeOfDay } from './util.js';

function Actions({ runId, detail, status, can, onDone, onEdit }) {
  const [busy, setBusy] = useState('');
  const run = async (label, action) => {
    setBusy(label);
    try { onDone(await act(runId, action), label); } catch (e) { onDone(undefined, label, e.message); } finally { setBusy(''); }
  };
  const s = status ?? { state: 'pending' };
  const path = detail.path;
  const failedBelow = s.state === 'error' || s.state === 'killed';
  const built = detail.image && detail.image.spec && detail.image.spec.kind !== 'ref';
  const b = (label, action, show = true, cls = '') => (show ? html`<button class=${cls} disabled=${!!busy} data-action=${label} onClick=${() => run(label, action)}>${busy === label ? '…' : label}</button>` : '');
  return html`<div class="actions">
    ${b('reset', { op: 'reset', path }, s.state !== 'pending' || s.attempt > 0)}
    ${s.skipped ? b('unskip', { op: 'unskip', path }) : b('skip', { op: 'skip', path })}
    ${b('kill', { op: 'kill', path }, s.state === 'running' || s.state === 'queued', 'danger')}
    ${b('retry failed', { op: 'retry', path }, failedBelow && detail.kind !== 'exec')}
    ${detail.kind === 'exec' ? html`<button disabled=${!!busy} data-action="edit" onClick=${onEdit}>edit</button>` : ''}
    ${b('rebuild image', { op: 'rebuild', images: [detail.image?.name] }, built && can.rebuild)}
  </div>`;
}

function EditForm({ runId, detail, onDone, onCancel }) {
  const [command, setCommand] = useState(commandText(detail.command));
  const [env, setEnv] = useState(Object.entries(detail.env).map(([k, v]) => ({ k, v })));
  const [error, setError] = useState('');
  const save = async (reset) => {
    const next = Object.fromEntries(env.filter((e) => e.k).map((e) => [e.k, e.v]));
    const changed = Object.fromEntries(Object.entries(next).filter(([k, v]) => detail.env[k] !== v));
    const unsetEnv = Object.keys(detail.env).filter((k) => !(k in next));
    const action = { op: 'edit', path: detail.path, ...(command !== commandText(detail.command) ? { command } : {}), ...(Object.keys(changed).length ? { env: changed } : {}), ...(unsetEnv.length ? { unsetEnv } : {}) };
    try {
      if (action.command !== undefined || action.env || action.unsetEnv) await act(runId, action);
      if (reset) await act(runId, { op: 'reset', path: detail.path });
      onDone();
    } catch (e) { setError(e.message); }
  };
  return html`<div class="edit" data-testid="edit">
    <label>command<textarea name="command" rows="4" value=${command} onInput=${(e) => setCommand(e.currentTarget.value)}></textarea></label>
    <div class="env-edit">env
      ${env.map((e, i) => html`<div class="env-row">
        <input value=${e.k} placeholder="NAME" onInput=${(ev) => setEnv(env.map((x, j) => (j === i ? { ...x, k: ev.currentTarget.value } : x)))} />
        <input value=${e.v} placeholder="value" onInput=${(ev) => setEnv(env.map((x, j) => (j === i ? { ...x, v: ev.currentTarget.value } : x)))} />
        <button class="small" onClick=${() => setEnv(env.filter((_, j) => j !== i))}>×</button></div>`)}
      <button class="small" onClick=${() => setEnv([...env, { k: '', v: '' }])}>+ variable</button>
    </div>
    <p class="muted">Changes this run's copy of the pipeline (ir.json), never your file.</p>
    ${error ? html`<p class="error">${error}</p>` : ''}
    <div class="actions"><button data-action="save-reset" class="primary" onClick=${() => save(true)}>save and reset</button><button data-action="save" onClick=${() => save(false)}>save</button><button onClick=${onCancel}>cancel</button></div>
  </div>`;
}

function Overview({ detail, status, now }) {
  const s = status ?? {};
  const options = detail.options.filter((o) => !o.name.startsWith('env.'));
  const envFrom = Object.fromEntries(detail.options.filter((o) => o.name.startsWith('env.')).map((o) => [o.name.slice(4), o.from]));
  const from = (f) => html`<span class="from">${f === 'here' ? 'set here' : f === 'default' ? 'default' : `from ${f}`}</span>`;
  return html`<div class="overview">
    <dl class="facts">
      <dt>state</dt><dd><span class=${`badge ${s.state}`} data-testid="node-state">${s.state}${s.skipped ? ' (skipped)' : s.cached ? ' (cached)' : ''}</span> ${s.cached && !s.skipped ? html`<span class="muted" data-testid="cached-from">the result of run ${s.cached.runId}, reused: nothing ran</span> ` : ''}${reasonOf(s)}</dd>
      <dt>attempt</dt><dd>${s.attempt ?? 0}</dd>
      <dt>started</dt><dd>${clock(s.startedAt) || '-'}</dd>
      <dt>took</dt><dd>${durationOf(s, now) || '-'}</dd>
    </dl>
    ${detail.doc ? html`<p class="doc">${detail.doc}</p>` : ''}
    ${detail.kind === 'exec' ? html`
      <h4>command</h4><pre class="command" data-testid="command">${commandText(detail.command)}</pre>
      <h4>env</h4>
      <table class="kv">${Object.entries(detail.env).map(([k, v]) => html`<tr><td>${k}</td><td><code>${v}</code></td><td>${from(envFrom[k])}</td></tr>`)}
        ${Object.entries(detail.secrets).map(([k, name]) => html`<tr class="secret"><td>${k}</td><td><code>secret("${name}")</code> <span class="muted">value hidden</span></td><td></td></tr>`)}
        ${!Object.keys(detail.env).length && !Object.keys(detail.secrets).length ? html`<tr><td class="muted">(none)</td></tr>` : ''}
      </table>` : html`<p class="muted">${detail.kind}, ${detail.children} children</p>`}
    ${detail.artifacts?.length ? html`<h4>artifacts</h4>
      <table class="kv" data-testid="artifacts">${detail.artifacts.map((a) => html`<tr><td>${a.output}</td><td>${a.files} file${a.files === 1 ? '' : 's'}, ${a.size} bytes</td><td><code title=${a.sha256}>sha256:${a.sha256.slice(0, 12)}</code></td></tr>`)}</table>
      <p class="muted">caisson artifact RUN ${detail.path} [OUTPUT] --out DIR writes one to a folder</p>` : ''}
    <h4>options</h4>
    <table class="kv">${options.map((o) => html`<tr><td>${o.name}</td><td><code>${JSON.stringify(o.value)}</code></td><td>${from(o.from)}</td></tr>`)}
      ${detail.kind === 'exec' ? html`<tr><td>container</td><td><code>${detail.container === 'global' ? 'global reuse pool' : `dedicated to ${detail.container}`}</code></td><td></td></tr>` : ''}
    </table>
    ${detail.image ? html`<h4>image <code>${detail.image.name}</code></h4>
      <table class="kv">
        <tr><td>kind</td><td><code>${detail.image.spec?.kind}</code></td></tr>
        <tr><td>ref</td><td><code data-testid="image-ref">${detail.image.recorded?.ref ?? detail.image.spec?.ref ?? '-'}</code></td></tr>
        <tr><td>id</td><td><code data-testid="image-id">${detail.image.recorded?.id ?? '-'}</code></td></tr>
      </table>
      <details><summary>definition</summary><pre>${JSON.stringify(detail.image.spec, null, 2)}</pre></details>
      ${detail.image.dockerfile ? html`<details open><summary>Dockerfile</summary><pre data-testid="dockerfile">${detail.image.dockerfile}</pre></details>` : ''}` : ''}
  </div>`;
}

function Attempts({ attempts, now, onLog }) {
  if (!attempts.length) return html`<p class="muted">It has not run yet.</p>`;
  return html`<table class="attempts" data-testid="attempts"><tr><th>#</th><th>ended</th><th>started</th><th>took</th><th>container</th><th></th></tr>
    ${attempts.slice().reverse().map((a) => html`<tr data-attempt=${a.attempt}>
      <td>${a.attempt}</td>
      <td><span class=${`badge ${a.endedAt === undefined ? a.state : a.state === 'pending' ? 'reset' : a.state}`}>${a.endedAt === undefined ? a.state : a.state === 'pending' ? 'reset' : a.state}</span> ${reasonOf(a)}</td>
      <td>${timeOfDay(a.startedAt)}</td><td>${elapsed((a.endedAt ?? now) - a.startedAt, a.endedAt === undefined)}</td>
      <td><code>${a.containerId ? `${a.containerId.slice(0, 12)}${a.reused ? ' (reused)' : ''}` : a.cache === 'hit' ? `none: cache hit (run ${a.cachedFrom ?? '?'})` : ''}</code>${a.cache && a.cache !== 'hit' ? html` <span class="muted">cache ${a.cache}</span>` : ''}</td>
      <td><button class="small" onClick=${() => onLog(a.attempt)}>log</button></td></tr>`)}
  </table>`;
}

function Debug({ runId, detail, can }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try { await navigator.clipboard.writeText(detail.debugCommand); setCopied(true); } catch { setCopied(false); }
  };
  return html`<div class="debug">
    <p>A shell in a new container made from this node's exact image, env and working dir, its command in <code>/caisson/cmd.sh</code>:</p>
    <div class="copy"><code data-testid="debug-command">${detail.debugCommand}</code><button class="small" onClick=${copy}>${copied ? 'copied' : 'copy'}</button></div>
    ${can.shell ? (open ? html`<${Shell} runId=${runId} path=${detail.path} onClose=${() => setOpen(false)} />`
      : html`<button class="primary" data-action="open-shell" onClick=${() => setOpen(true)}>open a debug shell here</button>`) : html`<p class="muted">This server cannot open shells.</p>`}
  </div>`;
}

/** The panel of the selected node. `version` changes when the node's status did (it is fetched again). */
export function NodePanel({ runId, path, status, version, now, can, stream, onClose, notify }) {
  const [detail, setDetail] = useState(undefined);
  const [tab, setTab] = useState('overview');
  const [attempt, setAttempt] = useState(undefined);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => { setTab('overview'); setAttempt(undefined); setEditing(false); }, [path]);
  useEffect(() => {
    let cancelled = false;
    getJson(`${runUrl(runId)}/node?${new URLSearchParams({ path })}`).then((d) => { if (!cancelled) { setDetail(d); setError(''); } }, (e) => setError(e.message));
    return () => { cancelled = true; };
  }, [runId, path, version]);
  if (error) return html`<aside class="panel"><p class="error">${error}</p></aside>`;
  if (!detail || detail.path !== path) return html`<aside class="panel"><p class="muted">Loading ${path}…</p></aside>`;
  const latest = status?.attempt ?? 0;
  const shownAttempt = attempt ?? (latest || undefined);
  const tabs = detail.kind === 'exec' ? ['overview', 'log', 'attempts', 'debug'] : ['overview', 'attempts'];
  return html`<aside class="panel" data-testid="node-panel" data-path=${path}>
    <header><h3 title=${path}>${detail.name} <span class="muted path">${path}</span></h3><button class="small" data-action="close" title="close the panel" onClick=${onClose}>×</button></header>
    <${Actions} runId=${runId} detail=${detail} status=${status} can=${can} onEdit=${() => setEditing(true)}
      onDone=${(r, label, err) => notify(err ? `${label}: ${err}` : `${label} ${path}: ${r.live ? 'applied live by the runner' : 'applied to the record'}`, !!err)} />
    ${editing ? html`<${EditForm} runId=${runId} detail=${detail} onCancel=${() => setEditing(false)} onDone=${() => { setEditing(false); notify(`edited ${path}`); }} />` : ''}
    <nav class="tabs">${tabs.map((t) => html`<button class=${t === tab ? 'on' : ''} data-tab=${t} onClick=${() => setTab(t)}>${t}</button>`)}</nav>
    <div class="tab-body">
      ${tab === 'overview' ? html`<${Overview} detail=${detail} status=${status} now=${now} />` : ''}
      ${tab === 'attempts' ? html`<${Attempts} attempts=${detail.attempts} now=${now} onLog=${(a) => { setAttempt(a); setTab('log'); }} />` : ''}
      ${tab === 'log' ? (shownAttempt ? html`<div class="log-head">attempt ${[...Array(latest).keys()].map((i) => html`<button class=${`small${i + 1 === shownAttempt ? ' on' : ''}`} onClick=${() => setAttempt(i + 1)}>${i + 1}</button>`)}</div>
        <${LogView} runId=${runId} path=${path} attempt=${shownAttempt} stream=${stream} />` : html`<p class="muted">It has not run yet; its log shows here once it does.</p>`) : ''}
      ${tab === 'debug' ? html`<${Debug} runId=${runId} detail=${detail} can=${can} />` : ''}
    </div>
  </aside>`;
}
