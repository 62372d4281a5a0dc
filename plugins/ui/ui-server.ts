/**
 * The local web UI's server: node:http, a dozen routes, Server-Sent Events for live state, a WebSocket
 * (the `ws` package, imported here only) for the debug shell. Actions go through core's control layer,
 * exactly as the CLI's commands do. See guard.ts for who may talk to it.
 *
 *   GET  /?token=…                          the printed URL: sets the session cookie, then the app
 *   GET  /app/…, /vendor/…                  the app and its browser libraries (a fixed set of files)
 *   GET  /api/session                       what the server serves (the run `run --ui` started)
 *   GET  /api/runs                          the runs list
 *   GET  /api/runs/:id                      a run's snapshot (tree, statuses, attempts, runner, offset)
 *   GET  /api/runs/:id/events               its live changes (SSE, resumable), and an attempt's output
 *   GET  /api/runs/:id/node?path=           a node's panel
 *   GET  /api/runs/:id/log?path=&attempt=   a page of an attempt's output (from=, to= byte offsets)
 *   POST /api/runs/:id/actions              {op: reset|skip|unskip|kill|retry|edit|rebuild, …}
 *   POST /api/runs/:id/resume               run what is pending, in this process
 *   WS   /api/runs/:id/shell?path=          a debug shell
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { controlRun, RunOperationError, type ControlAction, type RunRecord } from '../../core/plugin-kit.ts';
import { Guard } from './guard.ts';
import type { UiHooks } from './hooks.ts';
import { BASE_HEADERS, HttpError, intParam, readJson, sendError, sendJsonText } from './http-util.ts';
import { logPage, nodeDetail, recordOf, snapshotOf, type RunRow, type RunSource } from './run-api.ts';
import { RunRows } from './run-rows.ts';
import { WatchHub } from './run-watch-hub.ts';
import { serveEvents } from './event-stream.ts';
import { Masks } from './secret-mask.ts';
import { serveShell } from './shell-socket.ts';
import { loadStaticFiles } from './static-files.ts';

/** Options of startUiServer. */
export interface UiServerOptions {
  /** The runs it shows. */
  runs: RunSource;
  /** What only the `caisson` command can do (debug shells, rebuilds, resume). */
  hooks: UiHooks;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (a random free one). */
  port?: number;
  /** The run to open first (`caisson run --ui`). */
  runId?: string;
  /** What the page title and header say it serves (a folder). */
  title?: string;
}

/** A started server. */
export interface UiServer {
  /** The URL to open: it carries the per-launch token. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The launch token (for scripts: `Authorization: Bearer …`). */
  readonly token: string;
  /** Stops listening, ends the event streams and closes the debug shells. */
  close(): Promise<void>;
}

/** Starts the UI server; resolves once it listens. */
export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const host = opts.host ?? '127.0.0.1';
  const guard = new Guard();
  const files = loadStaticFiles();
  const hub = new WatchHub();
  const rows = new RunRows((record) => hub.get(record));
  const masks = new Masks(opts.hooks);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1_000_000 });
  let port = 0;

  const json = (res: ServerResponse, record: RunRecord | undefined, value: unknown, status = 200) => {
    const text = JSON.stringify(value);
    sendJsonText(res, status, record ? masks.mask(record, text) : text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    guard.checkSite(req);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/' && url.searchParams.has('token')) {
      if (!guard.isToken(url.searchParams.get('token'))) throw new HttpError(401, 'wrong token: open the URL caisson printed');
      // The token leaves the address bar (and the history) at once; the cookie carries on.
      res.writeHead(303, { ...BASE_HEADERS, 'set-cookie': guard.sessionCookie(port), location: '/' });
      res.end();
      return;
    }
    guard.checkAuth(req, port, method !== 'GET' && method !== 'HEAD');
    if (method === 'GET' && (path === '/' || path === '/index.html')) return sendFile(res, '/app/index.html');
    if (method === 'GET' && files.has(path)) return sendFile(res, path);
    if (!path.startsWith('/api/')) throw new HttpError(404, 'not found');
    if (method === 'GET' && path === '/api/session') {
      return json(res, undefined, {
        title: opts.title ?? 'caisson', runId: opts.runId,
        can: { resume: !!opts.hooks.resume, rebuild: !!opts.hooks.rebuild, shell: !!opts.hooks.openShell },
      });
    }
    if (method === 'GET' && path === '/api/runs') return json(res, undefined, maskRows(rows.list(opts.runs)));
    const m = /^\/api\/runs\/([^/]+)(?:\/(events|node|log|actions|resume))?$/.exec(path);
    if (!m) throw new HttpError(404, 'not found');
    const record = recordOf(opts.runs, decodeURIComponent(m[1]!));
    const what = m[2];
    if (method === 'GET' && what === undefined) return json(res, record, snapshotOf(record, hub.get(record)));
    if (method === 'GET' && what === 'events') return serveEvents(req, res, url, record, hub, (t) => masks.mask(record, t));
    if (method === 'GET' && what === 'node') return json(res, record, nodeDetail(record, hub.get(record), param(url, 'path'), opts.hooks.debugCommand));
    if (method === 'GET' && what === 'log') {
      const attempt = intParam(url, 'attempt') ?? 0;
      return json(res, record, logPage(record, hub.get(record), param(url, 'path'), attempt, { from: intParam(url, 'from'), to: intParam(url, 'to') }));
    }
    if (method === 'POST' && what === 'actions') return json(res, record, await act(record, await readJson(req)));
    if (method === 'POST' && what === 'resume') {
      if (!opts.hooks.resume) throw new HttpError(501, 'this server cannot run pipelines');
      await opts.hooks.resume(record);
      return json(res, record, { started: true });
    }
    throw new HttpError(405, `${method} ${path} is not supported`);
  };

  // Rows carry no secrets, but an unreadable record's message may quote anything: mask it per run.
  const maskRows = (list: RunRow[]) => list.map((r) => (r.error ? { ...r, error: masks.mask(opts.runs.open(r.id), r.error) } : r));

  const act = async (record: RunRecord, body: unknown) => {
    const action = body as ControlAction & { images?: unknown };
    if (typeof action !== 'object' || action === null || typeof action.op !== 'string') throw new HttpError(400, 'expected {"op": …}');
    let request: ControlAction = action;
    if (action.op === 'rebuild') {
      if (!opts.hooks.rebuild) throw new HttpError(501, 'this server cannot build images');
      const watch = hub.get(record);
      const names = Array.isArray(action.images) ? action.images.map(String) : Object.keys(watch.ir.images).filter((n) => watch.ir.images[n]!.kind !== 'ref');
      const unknown = names.filter((n) => !watch.ir.images[n]);
      if (unknown.length) throw new HttpError(400, `the run has no image ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
      const plain = names.filter((n) => watch.ir.images[n]!.kind === 'ref');
      if (plain.length || !names.length) throw new HttpError(400, plain.length ? `image "${plain[0]}" is a plain reference: nothing to rebuild` : 'the run has no built image');
      request = { op: 'rebuild', images: await opts.hooks.rebuild(record, names) };
    }
    try {
      const outcome = await controlRun(record, request);
      const paths = new Set([...outcome.entry.paths, ...outcome.entry.events.map((e) => e.path)]);
      return { live: outcome.live, entry: outcome.entry, statuses: Object.fromEntries([...paths].map((p) => [p, outcome.statuses[p]])) };
    } catch (e) {
      if (e instanceof RunOperationError) throw new HttpError(409, e.message);
      throw e;
    }
  };

  const sendFile = (res: ServerResponse, path: string) => {
    const f = files.get(path)!;
    res.writeHead(200, {
      ...BASE_HEADERS, 'content-type': f.type, 'content-length': f.body.length,
      // Only this server's own files: no inline script, no other origin, nothing framed.
      ...(path.endsWith('.html') ? { 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" } : {}),
    });
    res.end(f.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) sendError(res, e.status, e.message);
      else sendError(res, 500, e instanceof Error ? e.message : String(e));
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      guard.checkSite(req);
      guard.checkAuth(req, port, true);
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const m = /^\/api\/runs\/([^/]+)\/shell$/.exec(url.pathname);
      if (!m) throw new HttpError(404, 'not found');
      if (!opts.hooks.openShell) throw new HttpError(501, 'this server cannot open debug shells');
      const record = recordOf(opts.runs, decodeURIComponent(m[1]!));
      const path = param(url, 'path');
      sockets.handleUpgrade(req, socket, head, (ws) => serveShell(ws, record, path, url, opts.hooks, masks));
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      socket.end(`HTTP/1.1 ${status} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  port = (server.address() as { port: number }).port;
  guard.listening(host, port);
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/?token=${guard.token}`, port, token: guard.token,
    close: async () => {
      hub.close();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A required query parameter. */
function param(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (v === null || v === '') throw new HttpError(400, `missing ${name}`);
  return v;
}
