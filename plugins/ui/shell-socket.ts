/**
 * The in-browser debug shell's socket: xterm.js in the page, a WebSocket, and a debug container made
 * exactly as `caisson debug` makes one (the hook the `caisson` command gives). The container goes away
 * when the socket closes, which is when the tab or the panel closes. Output is masked with the run's
 * secrets on its way to the browser (the shell's env has them, as `caisson debug`'s does).
 *
 * Frames: the browser sends JSON `{"type":"input","data":…}` and `{"type":"resize","cols":…,"rows":…}`;
 * the server sends the shell's output as text frames, and `{"type":"exit","code":…}` (JSON, as a
 * binary frame so it cannot be confused with output) when the shell ends.
 */
import type { WebSocket } from 'ws';
import type { RunRecord } from '../../core/plugin-kit.ts';
import type { ShellSession, UiHooks } from './hooks.ts';
import type { Masks } from './secret-mask.ts';

const size = (url: URL, name: string, fallback: number): number => {
  const n = Number(url.searchParams.get(name));
  return Number.isInteger(n) && n >= 2 && n <= 1000 ? n : fallback;
};

/** Serves one shell socket until either side ends it. */
export function serveShell(ws: WebSocket, record: RunRecord, path: string, url: URL, hooks: UiHooks, masks: Masks): void {
  let session: ShellSession | undefined;
  let closed = false;
  // Keys typed while the container starts are kept and sent once the shell is there, not dropped.
  const early: string[] = [];
  const scrubber = masks.scrubber(record);
  const end = () => {
    if (closed) return;
    closed = true;
    void session?.close();
    if (ws.readyState === ws.OPEN) ws.close();
  };
  ws.on('close', end);
  ws.on('error', end);
  ws.on('message', (raw) => {
    let msg: { type?: string; data?: unknown; cols?: unknown; rows?: unknown };
    try { msg = JSON.parse(String(raw)) as typeof msg; } catch { return; }
    if (msg.type === 'input' && typeof msg.data === 'string') { if (session) session.write(msg.data); else if (early.length < 1000) early.push(msg.data); }
    if (msg.type === 'resize' && typeof msg.cols === 'number' && typeof msg.rows === 'number') session?.resize(msg.cols, msg.rows);
  });
  hooks.openShell!(record, path, { cols: size(url, 'cols', 80), rows: size(url, 'rows', 24) }).then((s) => {
    session = s;
    if (closed) { void s.close(); return; }
    s.onData((data) => { const text = scrubber.push(data); if (text && ws.readyState === ws.OPEN) ws.send(text); });
    for (const data of early.splice(0)) s.write(data);
    s.onExit((code) => {
      const rest = scrubber.flush();
      if (ws.readyState === ws.OPEN) {
        if (rest) ws.send(rest);
        ws.send(Buffer.from(JSON.stringify({ type: 'exit', code })), { binary: true });
      }
      end();
    });
  }, (e: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.from(JSON.stringify({ type: 'error', message: masks.mask(record, (e as Error).message) })), { binary: true });
    end();
  });
}
