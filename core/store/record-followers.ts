/**
 * Followers of a record's two kinds of JSON-lines files: the event log (entries, decoded) and an
 * attempt's output (chunks). Each read returns only what was appended since the previous one.
 */
import type { LogEntry } from './log-entries.ts';
import { FileFollower } from './file-follower.ts';
import { decodeChunk } from './output-encoding.ts';
import type { OutputChunk } from './output-files.ts';
import { decodeLogEntry } from './record-codecs.ts';

/** Where line `i` of a read is, for error messages: "file:line", or "file (byte N)" mid-file. */
const whereOf = (f: FileFollower, firstLine: number | undefined, offsets: number[], i: number): string =>
  firstLine !== undefined ? `${f.file}:${firstLine + i}` : `${f.file} (byte ${offsets[i]})`;

/** New entries of an event log, each with the byte offset just after its line (a resumable position). */
export class LogFollower {
  private readonly file: FileFollower;
  /** Complete lines that were not JSON, so far. */
  damagedLines = 0;

  /** @param from a byte offset this follower (or the UI's event ids) handed out; 0 = the top */
  constructor(file: string, from = 0) { this.file = new FileFollower(file, from); }

  /** Byte offset after the last entry read. */
  get offset(): number { return this.file.offset; }

  /** True when an unfinished last line is waiting. */
  get partial(): boolean { return this.file.partial; }

  /**
   * Entries appended since the last call, with the offset after each.
   * @throws RunRecordError for a JSON line that is not a valid entry
   */
  read(maxBytes?: number): Array<{ entry: LogEntry; end: number }> {
    const { lines, offsets, firstLine } = this.file.read(maxBytes);
    const out: Array<{ entry: LogEntry; end: number }> = [];
    lines.forEach((line, i) => {
      if (line === '') return;
      let value: unknown;
      try { value = JSON.parse(line); } catch { this.damagedLines++; return; }
      const end = offsets[i]! + Buffer.byteLength(line) + 1;
      out.push({ entry: decodeLogEntry(value, whereOf(this.file, firstLine, offsets, i)), end });
    });
    return out;
  }
}

/** New chunks of one attempt's output file, with the byte offset after each (for paging). */
export class OutputFollower {
  private readonly file: FileFollower;

  /** @param from a byte offset at a line start (0 = the top) */
  constructor(file: string, from = 0) { this.file = new FileFollower(file, from); }

  /** Byte offset after the last chunk read. */
  get offset(): number { return this.file.offset; }

  /**
   * Chunks appended since the last call, about `maxBytes` of file at most.
   * @throws RunRecordError for a JSON line that is not an output chunk
   */
  read(maxBytes?: number): OutputChunk[] {
    const { lines, offsets, firstLine } = this.file.read(maxBytes);
    const out: OutputChunk[] = [];
    lines.forEach((line, i) => {
      const chunk = line ? decodeChunk(line, whereOf(this.file, firstLine, offsets, i)) : undefined;
      if (chunk) out.push(chunk);
    });
    return out;
  }
}
