// One attempt's output: the last page first (a big log is paged, never loaded whole), earlier pages on
// request, and live output appended while the attempt runs. stdout and stderr are told apart, and ANSI
// colours are rendered (ansi_up escapes the text, so output cannot inject markup).
import { html, useEffect, useRef, useState } from '/vendor/preact-htm.js';
import { AnsiUp } from '/vendor/ansi_up.js';
import { getJson, runUrl } from './api.js';

/** The most text kept on the page from live output before the oldest is dropped (load it again by paging). */
const KEEP_CHARS = 2_000_000;

function renderer() {
  const ups = { stdout: new AnsiUp(), stderr: new AnsiUp() };
  for (const u of Object.values(ups)) u.use_classes = true;
  return (chunk) => ({ stream: chunk.stream, marker: !!chunk.marker, html: ups[chunk.stream].ansi_to_html(chunk.data), size: chunk.data.length });
}

export function LogView({ runId, path, attempt, stream }) {
  const [page, setPage] = useState(undefined);
  const [error, setError] = useState('');
  const box = useRef(null);
  const stick = useRef(true);
  const render = useRef(renderer());

  useEffect(() => {
    setPage(undefined);
    setError('');
    render.current = renderer();
    let cancelled = false;
    const q = new URLSearchParams({ path, attempt: String(attempt) });
    getJson(`${runUrl(runId)}/log?${q}`).then((p) => {
      if (cancelled) return;
      setPage({ from: p.from, to: p.to, pieces: p.chunks.map(render.current), running: p.running, trimmed: false });
      stick.current = true;
      stream.follow({ path, attempt, from: p.to });
    }, (e) => setError(e.message));
    stream.onLog = (d) => setPage((old) => {
      if (!old) return old;
      let pieces = old.pieces.concat(d.chunks.map(render.current));
      let size = pieces.reduce((n, p) => n + p.size, 0);
      let trimmed = old.trimmed;
      while (size > KEEP_CHARS && pieces.length > 1) { size -= pieces[0].size; pieces = pieces.slice(1); trimmed = true; }
      return { ...old, pieces, to: d.to, trimmed };
    });
    return () => { cancelled = true; stream.onLog = undefined; stream.follow(undefined); };
  }, [runId, path, attempt]);

  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });

  const earlier = async () => {
    const q = new URLSearchParams({ path, attempt: String(attempt), to: String(page.from) });
    const p = await getJson(`${runUrl(runId)}/log?${q}`);
    const r = renderer();
    setPage((old) => ({ ...old, from: p.from, pieces: p.chunks.map(r).concat(old.pieces) }));
    stick.current = false;
  };

  if (error) return html`<p class="error">${error}</p>`;
  if (!page) return html`<p class="muted">Loading the log…</p>`;
  return html`<div class="log" ref=${box} data-testid="log" data-path=${path} data-attempt=${attempt}
      onScroll=${(e) => { const el = e.currentTarget; stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30; }}>
    ${page.from > 0 ? html`<button class="small earlier" onClick=${earlier}>load earlier output (${Math.round(page.from / 1024)} KB before)</button>` : ''}
    ${page.trimmed ? html`<p class="muted">earlier output is no longer on the page; reopen the log to page through it</p>` : ''}
    ${page.pieces.length === 0 ? html`<p class="muted">(no output yet)</p>` : ''}
    <pre>${page.pieces.map((p) => html`<span class=${`out ${p.stream}${p.marker ? ' marker' : ''}`} dangerouslySetInnerHTML=${{ __html: p.html }}></span>`)}</pre>
  </div>`;
}
