/**
 * Keeps the last lines of each node's output, so a failure summary can show them without the whole log.
 * Memory stays bounded whatever a node prints: at most `keep` lines, each at most MAX_PARTIAL_LINE long.
 */
import { LineSplitter } from './line-splitter.ts';

/** The last lines of each node's output (both streams together, as they interleaved). */
export class OutputTails {
  private readonly tails = new Map<string, string[]>();
  private readonly splitters = new Map<string, LineSplitter>();

  constructor(private readonly keep = 20) {}

  /** Adds a chunk of `path`'s output. */
  add(path: string, chunk: string): void {
    let splitter = this.splitters.get(path);
    if (!splitter) this.splitters.set(path, (splitter = new LineSplitter()));
    const lines = splitter.push(chunk);
    if (!lines.length) return;
    let tail = this.tails.get(path);
    if (!tail) this.tails.set(path, (tail = []));
    // Only the last `keep` of a chunk's lines can matter (and spreading 100,000 would overflow the stack).
    for (const line of lines.length > this.keep ? lines.slice(-this.keep) : lines) tail.push(line);
    if (tail.length > this.keep) tail.splice(0, tail.length - this.keep);
  }

  /** The last lines of `path`'s output, an unfinished last line included. */
  get(path: string): string[] {
    const rest = this.splitters.get(path)?.peek();
    return [...(this.tails.get(path) ?? []), ...(rest ? [rest] : [])].slice(-this.keep);
  }
}
