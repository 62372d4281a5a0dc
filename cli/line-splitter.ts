/**
 * Cuts a stream of output chunks into lines for the reporters, in time linear in the output: a chunk
 * without a newline is only appended to the pending parts (never joined and split again), and a partial
 * line longer than `maxLine` is let out as a line of its own, so output that never prints a newline
 * (a progress bar, a binary dump) costs neither quadratic CPU nor unbounded memory.
 */

/** Characters a partial line may grow to before it is let out as a line of its own. */
export const MAX_PARTIAL_LINE = 64 * 1024;

/** Splits one stream's chunks into lines; one per stream (and per node) being reported. */
export class LineSplitter {
  private parts: string[] = [];
  private pending = 0;

  /** @param maxLine length past which a partial line is let out as a line (cut at that length) */
  constructor(private readonly maxLine = MAX_PARTIAL_LINE) {}

  /** True when a partial line is waiting for its newline. */
  get hasPartial(): boolean { return this.pending > 0; }

  /** The complete lines `chunk` ends (without their newlines), long partial lines cut into pieces. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    const last = chunk.lastIndexOf('\n');
    if (last < 0) {
      this.add(chunk, lines);
      return lines;
    }
    // One native split of the chunk's complete lines; only the first joins what was pending.
    const body = chunk.slice(0, last).split('\n');
    this.add(body[0]!, lines);
    lines.push(this.take());
    for (let i = 1; i < body.length; i++) {
      const line = body[i]!;
      if (line.length <= this.maxLine) lines.push(line);
      else { this.add(line, lines); lines.push(this.take()); }
    }
    if (last + 1 < chunk.length) this.add(chunk.slice(last + 1), lines);
    return lines;
  }

  /** The partial line so far, if any, kept. */
  peek(): string | undefined {
    if (this.pending === 0) return undefined;
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0];
  }

  /** The partial line, if any, and forgets it (the stream ended, or a line about it is due). */
  flush(): string | undefined {
    return this.pending > 0 ? this.take() : undefined;
  }

  private add(piece: string, lines: string[]): void {
    while (this.pending + piece.length > this.maxLine) {
      const room = this.maxLine - this.pending;
      this.parts.push(piece.slice(0, room));
      this.pending = this.maxLine;
      lines.push(this.take());
      piece = piece.slice(room);
    }
    if (piece.length) { this.parts.push(piece); this.pending += piece.length; }
  }

  private take(): string {
    const line = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.pending = 0;
    return line;
  }
}
