/**
 * Small helpers for node:http handlers: JSON replies (every body masked with the run's secrets by the
 * caller), a bounded JSON body reader, and one error type that becomes a status code and a message.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A refusal with an HTTP status; the message is shown to the person using the UI. */
export class HttpError extends Error {
  /** @param status the HTTP status code */
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Headers every response carries: no caching, no sniffing, no framing by other sites, no referrer. */
export const BASE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** Sends `text` (already masked) as JSON. */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends a plain-text error. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) { res.destroy(); return; }
  const text = JSON.stringify({ error: message });
  sendJsonText(res, status, text);
}

/** Reads a JSON body of at most `limit` bytes; HttpError 400/413 otherwise. */
export async function readJson(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // Only JSON: a form post from another site (a "simple" request) cannot carry this content type.
  if (!/^application\/json\b/.test(type)) throw new HttpError(415, 'expected a JSON body (content-type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
}

/** A query parameter as a non-negative integer (undefined when absent); HttpError 400 otherwise. */
export function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new HttpError(400, `${name}: expected a whole number, got ${JSON.stringify(v.slice(0, 40))}`);
  return Number(v);
}
