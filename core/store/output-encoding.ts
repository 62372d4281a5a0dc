/**
 * How one output chunk is written as a line of an attempt's file. Text is kept as a JSON string, which
 * stays readable with any tool; a chunk full of control bytes is kept as base64 instead, since JSON
 * spends 6 bytes on each (`\u0000`) where base64 spends 4/3. Reading gives the same string back either
 * way, so `caisson logs` prints exactly what was recorded.
 */
import type { OutputChunk } from './output-files.ts';
import { decodeStoredChunk } from './record-codecs.ts';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** The JSON line (without newline) of `chunk`. */
export function encodeChunk(chunk: OutputChunk): string {
  const { data, ...rest } = chunk;
  if (CONTROL.test(data)) {
    const bytes = Buffer.from(data, 'utf8');
    if (base64Pays(data, bytes.length)) return JSON.stringify({ ...rest, b64: bytes.toString('base64') });
  }
  return JSON.stringify(chunk);
}

/** True when base64 is clearly smaller than JSON's escapes (6 bytes per control character). */
function base64Pays(data: string, bytes: number): boolean {
  let escapes = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) escapes++;
  }
  return (bytes * 4) / 3 < 0.8 * (bytes + 5 * escapes);
}

/**
 * The chunk a line holds, or undefined for a line that is not JSON (damaged, never written whole).
 * @throws RunRecordError naming `where` (file:line) for JSON that is not an output chunk
 */
export function decodeChunk(line: string, where: string): OutputChunk | undefined {
  let value: unknown;
  try { value = JSON.parse(line); } catch { return undefined; }
  const stored = decodeStoredChunk(value, where);
  const chunk: OutputChunk = { at: stored.at, stream: stored.stream, data: 'b64' in stored ? Buffer.from(stored.b64, 'base64').toString('utf8') : stored.data };
  if (stored.marker) chunk.marker = true;
  return chunk;
}
