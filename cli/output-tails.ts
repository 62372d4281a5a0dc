/** Keeps the last lines of each node's output, so a failure summary can show them without the whole log. */
export class OutputTails {
  private readonly tails = new Map<string, string[]>();
  private readonly partial = new Map<string, string>();

  constructor(private readonly keep = 20) {}

  /** Adds a chunk of `path`'s output. */
  add(path: string, chunk: string): void {
    const lines = ((this.partial.get(path) ?? '') + chunk).split('\n');
    this.partial.set(path, lines.pop()!);
    const tail = this.tails.get(path) ?? [];
    tail.push(...lines);
    if (tail.length > this.keep) tail.splice(0, tail.length - this.keep);
    this.tails.set(path, tail);
  }

  /** The last lines of `path`'s output, an unfinished last line included. */
  get(path: string): string[] {
    const rest = this.partial.get(path);
    return [...(this.tails.get(path) ?? []), ...(rest ? [rest] : [])].slice(-this.keep);
  }
}
