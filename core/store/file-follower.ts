/**
 * Reading an append-only JSON-lines file as it grows: each call reads only the bytes appended since
 * the previous one (a window at a time, so a 50 MB log is never held whole), and hands back the
 * complete lines. A line still being written stays for the next call. Offsets are byte offsets of
 * line starts, so a reader can stop and later go on from one (the UI's event ids are these offsets).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { RunRecordError } from '../errors.ts';

/** The most read at once. */
const WINDOW = 4 * 1024 * 1024;

/** Complete lines read, with where they start. */
export interface FollowedLines {
  /** The lines, without their newline. */
  lines: string[];
  /** Byte offset where each line starts. */
  offsets: number[];
  /** 1-based line number of the first line, when the follower started at the top of the file. */
  firstLine?: number;
}

/** Reads the lines appended to `file` since the last call. */
export class FileFollower {
  private consumed: number;
  private line: number | undefined;
  private pending = Buffer.alloc(0);

  /**
   * @param file the JSON-lines file (it may not exist yet)
   * @param from byte offset to start at: 0, or the start of a line (an offset this follower handed out)
   * @throws RunRecordError when `from` is not the start of a line of the file
   */
  constructor(readonly file: string, from = 0) {
    this.consumed = from;
    this.line = from === 0 ? 1 : undefined;
    if (from > 0) this.checkLineStart(from);
  }

  /** Byte offset after the last complete line handed out: where a later follower may start. */
  get offset(): number { return this.consumed; }

  /**
   * The complete lines appended since the previous call (at most about `maxBytes` of them; call again
   * for more). A missing file has none.
   */
  read(maxBytes = Infinity): FollowedLines {
    const out: FollowedLines = { lines: [], offsets: [], ...(this.line !== undefined ? { firstLine: this.line } : {}) };
    let fd: number;
    try { fd = openSync(this.file, 'r'); } catch { return out; }
    try {
      const size = fstatSync(fd).size;
      let at = this.consumed + this.pending.length;
      const buf = Buffer.alloc(Math.min(WINDOW, maxBytes, Math.max(0, size - at)));
      let taken = 0;
      while (at < size && taken < maxBytes) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
        if (n <= 0) break;
        at += n;
        taken += n;
        const data = this.pending.length ? Buffer.concat([this.pending, buf.subarray(0, n)]) : buf.subarray(0, n);
        let start = 0;
        for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
          out.offsets.push(this.consumed);
          out.lines.push(data.toString('utf8', start, nl));
          this.consumed += nl + 1 - start;
          start = nl + 1;
        }
        this.pending = Buffer.from(data.subarray(start));
      }
    } finally {
      closeSync(fd);
    }
    if (this.line !== undefined) this.line += out.lines.length;
    return out;
  }

  /** True when bytes of an unfinished line are waiting (its writer was cut off, or is mid-write). */
  get partial(): boolean { return this.pending.length > 0; }

  private checkLineStart(from: number): void {
    let fd: number;
    try { fd = openSync(this.file, 'r'); } catch { throw new RunRecordError(`${this.file}: cannot read from byte ${from}: the file does not exist`); }
    try {
      const b = Buffer.alloc(1);
      const n = readSync(fd, b, 0, 1, from - 1);
      if (n !== 1 || b[0] !== 0x0a) throw new RunRecordError(`${this.file}: byte ${from} is not the start of a line`);
    } finally {
      closeSync(fd);
    }
  }
}
