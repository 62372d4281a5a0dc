/**
 * `--progress=rawjson` output (BuildKit's SolveStatus objects, pretty-printed back to back on stderr)
 * → BuildProgress: one `step` per finished vertex (with `cached`), one `log` per printed line.
 */
import type { BuildProgress } from '../../core/index.ts';

interface Vertex { digest: string; name?: string; cached?: boolean; completed?: string; error?: string }
interface LogEntry { vertex: string; data?: string }
interface SolveStatus { vertexes?: Vertex[]; logs?: LogEntry[] }

/** Splits concatenated JSON objects by brace depth (strings and escapes respected). */
export class JsonObjectSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds text; returns the complete objects it finished. */
  push(text: string): unknown[] {
    this.buffer += text;
    const out: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === '{') { if (this.depth++ === 0) this.start = i; }
      else if (c === '}' && this.depth > 0 && --this.depth === 0) {
        try { out.push(JSON.parse(this.buffer.slice(this.start, i + 1))); } catch { /* not progress JSON: ignore */ }
        this.buffer = this.buffer.slice(i + 1);
        i = -1;
        this.start = -1;
      }
      this.scanned = i + 1;
    }
    if (this.depth === 0) { this.buffer = ''; this.scanned = 0; }
    return out;
  }
}

/** Turns SolveStatus objects into BuildProgress, remembering vertex names and what was reported. */
export class RawJsonProgress {
  private readonly names = new Map<string, string>();
  private readonly reported = new Set<string>();
  private readonly partial = new Map<string, string>();
  private readonly splitter = new JsonObjectSplitter();
  /** The last lines printed, for error messages. */
  readonly tail: string[] = [];

  /** @param onProgress told of each finished or cached step once, and of each log line */
  constructor(private readonly onProgress: (p: BuildProgress) => void) {}

  /** Feeds a chunk of stderr. */
  push(chunk: string): void {
    for (const status of this.splitter.push(chunk) as SolveStatus[]) this.handle(status);
  }

  private handle(status: SolveStatus): void {
    for (const v of status.vertexes ?? []) {
      if (v.name) this.names.set(v.digest, v.name);
      if (v.error) this.remember(`${v.name ?? ''}: ${v.error}`);
      if ((v.completed || v.cached) && !this.reported.has(v.digest) && v.name && !v.name.startsWith('[internal]')) {
        this.reported.add(v.digest);
        this.onProgress({ type: 'step', step: v.name, cached: Boolean(v.cached) });
      }
    }
    for (const log of status.logs ?? []) {
      const step = this.names.get(log.vertex) ?? '';
      const text = (this.partial.get(log.vertex) ?? '') + Buffer.from(log.data ?? '', 'base64').toString('utf8');
      const lines = text.split(/\r?\n|\r/);
      this.partial.set(log.vertex, lines.pop() ?? '');
      for (const line of lines) if (line.trim()) { this.remember(line); this.onProgress({ type: 'log', step, line }); }
    }
  }

  private remember(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 20) this.tail.shift();
  }
}
