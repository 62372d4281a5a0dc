/**
 * Who may talk to the UI server. The UI can run commands (reset, edit, a debug shell), so it is guarded
 * like remote code execution:
 * - it listens on 127.0.0.1 (unless --host says otherwise);
 * - the printed URL carries a random per-launch token; opening it sets an HttpOnly, SameSite=Strict
 *   cookie holding another random value (the token leaves the address bar at once), and every other
 *   request needs that cookie, or the token as `Authorization: Bearer …` (scripts);
 * - the Host header must name this server (127.0.0.1:PORT, localhost:PORT, [::1]:PORT or --host:PORT),
 *   which defeats DNS rebinding (a foreign name resolving to 127.0.0.1);
 * - an Origin header, when present, must be this server's; requests that change something or open a
 *   shell, when authorised by the cookie, must carry it (browsers always send it on those).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-util.ts';

const equal = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The checks of one server launch. */
export class Guard {
  /** The per-launch token of the printed URL. */
  readonly token = randomBytes(24).toString('base64url');
  private readonly session = randomBytes(24).toString('base64url');
  private hosts: Set<string> = new Set();

  /** Sets the names this server answers to, once its port is known. */
  listening(host: string, port: number): void {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]);
    this.hosts = new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
  }

  /** The cookie's name: per port, since browsers do not tell cookies of two ports of one host apart. */
  cookieName(port: number): string { return `caisson_ui_${port}`; }

  /** The Set-Cookie value that opening the printed URL gets. */
  sessionCookie(port: number): string {
    return `${this.cookieName(port)}=${this.session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** True when `given` is the launch token. */
  isToken(given: string | null): boolean { return given !== null && equal(given, this.token); }

  /**
   * Checks Host and Origin of every request; HttpError 403 when either is not this server's.
   * @returns the Origin, when the request had one
   */
  checkSite(req: IncomingMessage): string | undefined {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.hosts.has(host)) throw new HttpError(403, `Host ${JSON.stringify(host.slice(0, 100))} is not this server (open the URL caisson printed)`);
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    const ok = [...this.hosts].some((h) => origin.toLowerCase() === `http://${h}`);
    if (!ok) throw new HttpError(403, `requests from ${JSON.stringify(origin.slice(0, 100))} are not allowed`);
    return origin;
  }

  /**
   * Checks that the request is authorised: the session cookie (then, for `changes`, an Origin of this
   * server too) or the token as a bearer header. HttpError 401/403 otherwise.
   */
  checkAuth(req: IncomingMessage, port: number, changes: boolean): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      if (!this.isToken(bearer)) throw new HttpError(401, 'wrong token');
      return;
    }
    const cookie = cookieValue(req.headers.cookie, this.cookieName(port));
    if (cookie === undefined || !equal(cookie, this.session)) throw new HttpError(401, 'not signed in: open the URL caisson printed (it carries a token)');
    if (changes && req.headers.origin === undefined) throw new HttpError(403, 'a request that changes something must carry an Origin header');
  }
}

/** The value of cookie `name` in a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
