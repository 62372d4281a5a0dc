/**
 * `GET /api/runs/:id/events`: the run view's one live channel (Server-Sent Events), resumable from an
 * offset. Event ids are byte offsets of the run's event log (`123`), with the open log's offset after a
 * dot (`123.4567`) when the view follows an attempt's output, so a reconnect (EventSource sends
 * Last-Event-ID) gets exactly what it missed: the statuses of the nodes the entries it missed touched,
 * then live deltas. One stream per tab carries both, since browsers allow only 6 connections per host.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutputFollower, RunRecord } from '../../core/plugin-kit.ts';
import { BASE_HEADERS, HttpError, intParam } from './http-util.ts';
import type { Delta, WatchHub } from './run-watch-hub.ts';

/** Parses "123" or "123.456" (a Last-Event-ID). */
function parseId(id: string | undefined): { log?: number; out?: number } {
  const m = /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(id ?? '');
  return m ? { log: Number(m[1]), ...(m[2] !== undefined ? { out: Number(m[2]) } : {}) } : {};
}

/** Serves one event stream until the client goes away. `mask` hides secret values in every line. */
export function serveEvents(req: IncomingMessage, res: ServerResponse, url: URL, record: RunRecord, hub: WatchHub, mask: (text: string) => string): void {
  const resumed = parseId(req.headers['last-event-id'] as string | undefined);
  const from = resumed.log ?? intParam(url, 'from') ?? 0;
  const logPath = url.searchParams.get('log') ?? undefined;
  const attempt = intParam(url, 'attempt');
  const watch = hub.get(record);
  if (from > watch.offset) throw new HttpError(400, `from ${from} is past the end of the run's log (${watch.offset})`);
  let output: OutputFollower | undefined;
  if (logPath !== undefined) {
    if (!watch.statuses()[logPath] || attempt === undefined || attempt < 1) throw new HttpError(404, 'log: no such node or attempt');
    output = record.followOutput(logPath, attempt, resumed.out ?? intParam(url, 'logFrom') ?? 0);
  }
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
  let logOffset = output?.offset;
  const idOf = (offset: number) => (output ? `${offset}.${logOffset}` : `${offset}`);
  const send = (event: string, data: unknown, offset: number) => { res.write(`id: ${idOf(offset)}\nevent: ${event}\ndata: ${mask(JSON.stringify(data))}\n\n`); };

  // What it missed: the nodes the entries between `from` and now touched (all of them if a runner came or went).
  if (from < watch.offset) {
    const missed = record.follow(from);
    const paths = new Set<string>();
    let everything = watch.runner !== 'running';
    for (let batch = missed.read(); batch.length && missed.offset <= watch.offset; batch = missed.read()) {
      for (const { entry, end } of batch) {
        if (end > watch.offset) break;
        if (entry.type === 'state' || entry.type === 'container') paths.add(entry.path);
        else if (entry.type === 'control') entry.events.forEach((e) => paths.add(e.path));
        else everything = true;
      }
    }
    const all = watch.statuses();
    const statuses = everything ? all : Object.fromEntries([...paths].filter((p) => all[p]).map((p) => [p, all[p]!]));
    const attempts = Object.fromEntries([...(everything ? Object.keys(all) : paths)].flatMap((p) => { const a = watch.projection.attempts.get(p); return a ? [[p, a]] : []; }));
    send('delta', { offset: watch.offset, statuses, attempts, runner: watch.runner, state: watch.state } satisfies Delta, watch.offset);
  }
  let offset = watch.offset;
  const pumpLog = () => {
    if (!output) return;
    const chunks = [];
    for (let batch = output.read(256 * 1024); batch.length; batch = output.read(256 * 1024)) {
      chunks.push(...batch.map((c) => ({ at: c.at, stream: c.stream, data: c.data, ...(c.marker ? { marker: true } : {}) })));
      if (chunks.length > 2000) break;
    }
    if (!chunks.length) return;
    logOffset = output.offset;
    send('log', { path: logPath, attempt, to: logOffset, chunks }, offset);
  };
  pumpLog();
  const off = hub.listen(record, (d) => { offset = d.offset; send('delta', d, d.offset); pumpLog(); });
  // Output is written without log entries: look at it on its own beat. A comment now and then keeps idle connections open.
  const timer = output ? setInterval(pumpLog, 100) : undefined;
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const close = () => { clearInterval(timer); clearInterval(keepAlive); off(); };
  req.on('close', close);
  res.on('error', close);
}
