/**
 * An append-only JSON-lines file written with one write(2) per line. A line is in the kernel once
 * write returns, so killing the writer (even with SIGKILL) loses nothing that was acknowledged; only a
 * machine crash could, which fsync at close() narrows. A partial last line left by a killed writer is
 * cut off on open, so the next line does not fuse with it.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { openPrivate } from './private-fs.ts';

/**
 * A JSON-lines log that survives its writer being killed: each `append` is one write(2), and a torn
 * last line is dropped when the file is reopened.
 */
export class AppendFile {
  private fd: number | undefined;

  /**
   * Opens (creating, mode 0600) `file` for appending.
   * @param syncOnClose fsync at close: worth it once for a run's log, too slow for every attempt's output
   */
  constructor(readonly file: string, private readonly syncOnClose = true) {
    this.fd = openPrivate(file, 'a+');
    this.cutPartialTail(this.fd);
  }

  /** Appends `value` as one JSON line. */
  append(value: unknown): void { this.appendLine(JSON.stringify(value)); }

  /** Appends one line already encoded (JSON without a newline), in one write. */
  appendLine(line: string): void {
    if (this.fd === undefined) throw new Error(`${this.file}: append after close`);
    writeSync(this.fd, `${line}\n`);
  }

  /** Flushes to disk and closes; idempotent. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { if (this.syncOnClose) fsyncSync(fd); } finally { closeSync(fd); }
  }

  private cutPartialTail(fd: number): void {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    // Look back in growing windows for the last newline; the partial tail is usually one short line.
    for (let window = 4096; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const nl = buf.lastIndexOf(0x0a);
      if (nl === buf.length - 1) return;
      if (nl >= 0 || start === 0) {
        ftruncateSync(fd, nl >= 0 ? start + nl + 1 : 0);
        return;
      }
    }
  }
}
