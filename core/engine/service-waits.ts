/**
 * A service's typed waits. Port, http and command waits are probes run inside the service's container
 * (`ServiceLease.probe`, an exec): they see its own network namespace at 127.0.0.1, need nothing on the
 * host's network and no port published, and work the same on any runtime that can exec. Each probe is
 * a `/bin/sh` script, so the service image needs a shell: the port probe reads /proc/net/tcp{,6} with
 * shell builtins alone; the http probe uses the image's wget or curl. The log wait reads the service's
 * output; healthcheck asks the runtime for the container's own HEALTHCHECK status.
 *
 * Polls run every PROBE_INTERVAL_MS on the engine clock and stop the moment `signal` aborts, which the
 * service manager does when the container exits, the startup timeout fires or the group is stopped: no
 * probe ever runs against a container that has exited.
 */
import type { Wait } from '../ir/service-codecs.ts';
import type { ServiceLease } from '../runtime/index.ts';
import type { Clock } from './clock.ts';
import { describeWait } from '../ir/describe-wait.ts';

export { describeWait };

/** How long between two probes (engine clock). */
export const PROBE_INTERVAL_MS = 250;

/** What a wait needs besides its spec. */
export interface WaitContext {
  /** The started container. */
  lease: ServiceLease;
  /** The engine clock, for the poll interval. */
  clock: Clock;
  /** Aborted when the wait must stop (exited, timed out, stopped). */
  signal: AbortSignal;
  /** Resolves once the service's output has had `times` lines matching `regex`. */
  logMatches(regex: RegExp, times: number): Promise<void>;
  /** Records the latest probe's answer, for the timeout message ("last answer: status 404"). */
  note(text: string): void;
}

/** Thrown by a wait that can never succeed (no wget/curl for http, no HEALTHCHECK): the service fails at once. */
export class WaitImpossible extends Error {}

/** Resolves when `w` is satisfied; rejects with WaitImpossible, or AbortError-like when `signal` aborts. */
export async function waitFor(w: Wait, ctx: WaitContext): Promise<void> {
  switch (w.kind) {
    case 'log': return abortable(ctx.logMatches(new RegExp(w.regex), w.times), ctx.signal);
    case 'all': { await Promise.all(w.waits.map((sub) => waitFor(sub, ctx))); return; }
    case 'healthcheck': return poll(ctx, async () => {
      const h = await ctx.lease.health();
      if (h === 'none') throw new WaitImpossible('the image defines no HEALTHCHECK; use another wait (port, http, log or command)');
      if (h === 'unhealthy') throw new WaitImpossible('its HEALTHCHECK reports unhealthy');
      ctx.note(`health ${h}`);
      return h === 'healthy';
    });
    case 'port': return poll(ctx, async () => {
      const r = await ctx.lease.probe(['/bin/sh', '-c', portScript(w.port)], ctx.signal);
      ctx.note(r.exitCode === 0 ? 'listening' : `nothing listens on port ${w.port}`);
      return r.exitCode === 0;
    });
    case 'http': return poll(ctx, async () => {
      const r = await ctx.lease.probe(['/bin/sh', '-c', httpScript(w.port, w.path)], ctx.signal);
      if (r.exitCode === 3) throw new WaitImpossible('an http wait needs wget or curl in the service image; use a port, log or command wait instead');
      const status = /status=(\d{3})/.exec(r.output)?.[1];
      ctx.note(status ? `status ${status}` : `no answer (${lastLine(r.output) || 'connection refused'})`);
      return status !== undefined && Number(status) === w.status;
    });
    case 'command': return poll(ctx, async () => {
      const argv = typeof w.command === 'string' ? ['/bin/sh', '-c', w.command] : w.command;
      const r = await ctx.lease.probe(argv, ctx.signal);
      ctx.note(`exit code ${r.exitCode ?? 'none'}${lastLine(r.output) ? `: ${lastLine(r.output)}` : ''}`);
      return r.exitCode === 0;
    });
  }
}

const lastLine = (text: string): string => text.trim().split('\n').pop()?.trim().slice(0, 200) ?? '';

/** Runs `once` until it returns true, PROBE_INTERVAL_MS apart, until `signal` aborts. */
async function poll(ctx: WaitContext, once: () => Promise<boolean>): Promise<void> {
  for (;;) {
    ctx.signal.throwIfAborted();
    if (await once()) return;
    ctx.signal.throwIfAborted();
    await sleep(ctx.clock, PROBE_INTERVAL_MS, ctx.signal);
  }
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => { clock.clearTimer(timer); reject(signal.reason); };
    const timer = clock.setTimer(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms, { keepAlive: true });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(signal.reason); return; }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); }, reject);
  });
}

/**
 * Exit 0 when a socket listens on `port` (TCP, v4 or v6): /proc/net/tcp lines hold the local address as
 * hex "ADDR:PORT" and the state 0A for LISTEN. Shell builtins only, so any image with a shell can answer.
 */
export function portScript(port: number): string {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return `for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] || continue; while read -r _ local _ st _; do case "$local" in *:${hex}) [ "$st" = 0A ] && exit 0;; esac; done < "$f"; done; exit 1`;
}

/**
 * Prints "status=NNN" for GET http://127.0.0.1:port/path, with wget (busybox's or GNU's; -S prints the
 * status line even for an error status, and is never combined with -q, which crashes some busybox builds) or curl; exit 3 when the image has neither.
 */
export function httpScript(port: number, path: string): string {
  const url = `'http://127.0.0.1:${port}${path.replaceAll("'", "'\\''")}'`;
  return [
    `if command -v curl >/dev/null 2>&1; then code=$(curl -s -o /dev/null -w '%{http_code}' ${url}); echo "status=$code";`,
    `elif command -v wget >/dev/null 2>&1; then out=$(wget -S -O /dev/null ${url} 2>&1); echo "$out" | tail -n 3;`,
    `  echo "$out" | sed -n 's/.*HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/status=\\1/p' | tail -n 1;`,
    'else exit 3; fi',
  ].join('\n');
}
