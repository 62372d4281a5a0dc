// The server's API, as the views use it. Every request carries the session cookie (same origin).

/** GET a JSON document; throws an Error with the server's message. */
export async function getJson(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || `${res.status} ${res.statusText}`);
  return body;
}

/** POST a JSON body; throws an Error with the server's message. */
export async function postJson(url, value) {
  const res = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || `${res.status} ${res.statusText}`);
  return body;
}

export const runUrl = (id) => `/api/runs/${encodeURIComponent(id)}`;

/** Applies a control action to a run (through core's control layer, live or on the record). */
export const act = (id, action) => postJson(`${runUrl(id)}/actions`, action);

/**
 * The run's live channel: one EventSource per tab, carrying state deltas and the open log's output.
 * `reopen` moves it to another log (or none) from where it is; it is closed while the tab is hidden.
 */
export class RunStream {
  constructor(id, offset, handlers) {
    this.id = id;
    this.offset = offset;
    this.handlers = handlers;
    this.log = undefined;
    this.source = undefined;
    this.onVisibility = () => (document.hidden ? this.close() : this.open());
    document.addEventListener('visibilitychange', this.onVisibility);
    this.open();
  }

  /** Follows `log` ({ path, attempt, from }) from now on, or no log. */
  follow(log) {
    this.log = log;
    this.open();
  }

  open() {
    this.close();
    if (document.hidden) return;
    const q = new URLSearchParams({ from: String(this.offset) });
    if (this.log) { q.set('log', this.log.path); q.set('attempt', String(this.log.attempt)); q.set('logFrom', String(this.log.from)); }
    const es = new EventSource(`${runUrl(this.id)}/events?${q}`);
    es.addEventListener('delta', (e) => {
      const d = JSON.parse(e.data);
      this.offset = d.offset;
      this.handlers.delta(d);
    });
    es.addEventListener('log', (e) => {
      const d = JSON.parse(e.data);
      if (this.log && d.path === this.log.path && d.attempt === this.log.attempt) { this.log.from = d.to; this.handlers.log(d); }
    });
    es.onerror = () => this.handlers.status?.(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    es.onopen = () => this.handlers.status?.('live');
    this.source = es;
  }

  close() {
    this.source?.close();
    this.source = undefined;
  }

  dispose() {
    this.close();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }
}
