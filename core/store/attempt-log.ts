/**
 * One attempt's output file, with a cap: output beyond it is not recorded, except its last part.
 * Without a cap a command printing without end (a dump, a log in a loop) would fill the disk with one
 * record. The file keeps the first (cap - tail) bytes, a marker written when the cap is reached (so a
 * runner killed afterwards still leaves it), and at the end a marker with how much was dropped followed
 * by the last `tail` bytes (where a failure usually shows). Bytes are those of the output's UTF-8 text.
 */
import { AppendFile } from './append-file.ts';
import { encodeChunk } from './output-encoding.ts';
import type { OutputChunk } from './output-files.ts';

/** Default cap of one attempt's recorded output: 50 MB. */
export const DEFAULT_LOG_CAP = 50_000_000;

/** The most of an attempt's last output kept past the cap: 1 MB, or a quarter of a smaller cap. */
const tailSize = (cap: number): number => Math.min(1_000_000, Math.floor(cap / 4));

/** "1000 bytes", "12.3 MB". */
export function formatBytes(n: number): string {
  if (n < 10_000) return `${n} bytes`;
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]] as const) {
    if (n >= size) return `${(n / size).toFixed(1).replace(/\.0$/, '')} ${unit}`;
  }
  return `${n} bytes`;
}

/** The output file of one running attempt. */
export class AttemptLog {
  private readonly file: AppendFile;
  private readonly headCap: number;
  private readonly tailCap: number;
  private head = 0;
  private tail: OutputChunk[] = [];
  private tailBytes = 0;
  private dropped = 0;

  /** @param cap bytes of output to keep at most (0 = no cap) */
  constructor(path: string, private readonly cap: number) {
    this.file = new AppendFile(path, false);
    this.tailCap = cap > 0 ? tailSize(cap) : 0;
    this.headCap = cap > 0 ? cap - this.tailCap : Infinity;
  }

  /** Records a chunk: written while under the cap, then only the latest tail is kept (in memory). */
  write(chunk: OutputChunk): void {
    const bytes = Buffer.byteLength(chunk.data);
    if (this.head + bytes <= this.headCap) {
      this.head += bytes;
      this.file.appendLine(encodeChunk(chunk));
      return;
    }
    if (this.head < this.headCap) {
      const [kept, rest] = splitAtByte(chunk.data, this.headCap - this.head);
      if (kept) this.file.appendLine(encodeChunk({ ...chunk, data: kept }));
      this.head = this.headCap;
      this.note(chunk.at, `\n[caisson: this attempt's output reached the log cap (${formatBytes(this.cap)}); what follows is not recorded, `
        + `except its last ${formatBytes(this.tailCap)}, kept when the attempt ends. It was all shown live; to record all of it, `
        + 'run it again with CAISSON_LOG_CAP=0 (or a larger cap, e.g. CAISSON_LOG_CAP=500MB)]\n');
      if (!rest) return;
      chunk = { ...chunk, data: rest };
    }
    this.keepTail(chunk);
  }

  /** Writes the dropped-bytes marker and the kept tail, and closes the file. */
  close(): void {
    try {
      if (this.dropped > 0 || this.tail.length) {
        const at = this.tail[0]?.at ?? Date.now();
        this.note(at, `[caisson: ${formatBytes(this.dropped)} of output were not recorded, past the log cap of ${formatBytes(this.cap)}; `
          + `the last ${formatBytes(this.tailBytes)} follow]\n`);
        for (const c of this.tail) this.file.appendLine(encodeChunk(c));
      }
    } finally {
      this.tail = [];
      this.file.close();
    }
  }

  private keepTail(chunk: OutputChunk): void {
    const bytes = Buffer.byteLength(chunk.data);
    this.tail.push(chunk);
    this.tailBytes += bytes;
    while (this.tailBytes > this.tailCap && this.tail.length) {
      const first = this.tail[0]!;
      const size = Buffer.byteLength(first.data);
      const excess = this.tailBytes - this.tailCap;
      if (size <= excess) {
        this.tail.shift();
        this.tailBytes -= size;
        this.dropped += size;
      } else {
        const rest = splitAtByte(first.data, excess, true)[1];
        const cut = size - Buffer.byteLength(rest);
        this.tail[0] = { ...first, data: rest };
        this.tailBytes -= cut;
        this.dropped += cut;
      }
    }
  }

  private note(at: number, data: string): void {
    this.file.appendLine(encodeChunk({ at, stream: 'stderr', data, marker: true }));
  }
}

/**
 * `text` cut into the part of at most `bytes` UTF-8 bytes and the rest, never inside a character; with
 * `atLeast`, the first part is the shortest of at least `bytes` bytes instead.
 */
function splitAtByte(text: string, bytes: number, atLeast = false): [string, string] {
  if (Buffer.byteLength(text) === text.length) return [text.slice(0, bytes), text.slice(bytes)];
  const buf = Buffer.from(text, 'utf8');
  let at = Math.min(bytes, buf.length);
  // Continuation bytes (10xxxxxx) belong to the character before them.
  if (atLeast) while (at < buf.length && (buf[at]! & 0xc0) === 0x80) at++;
  else while (at > 0 && at < buf.length && (buf[at]! & 0xc0) === 0x80) at--;
  return [buf.subarray(0, at).toString('utf8'), buf.subarray(at).toString('utf8')];
}
