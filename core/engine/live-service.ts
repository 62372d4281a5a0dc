/**
 * One service during a run (core/engine/services.ts drives it): its status, its lease, and its output
 * as the waits and failure reasons need it: the last lines, and log-wait matches counted line by line.
 */
import type { ServiceSpec } from '../ir/service-codecs.ts';
import type { ServiceLease } from '../runtime/index.ts';
import type { NodeStatus } from './types.ts';

/** How many of a service's last output lines a failure reason quotes. */
const LAST_LINES = 5;

/** One service during the run. */
export class LiveService {
  /** Its status, as status() and the events show it. */
  status: NodeStatus;
  /** Its container while it runs. */
  lease: ServiceLease | undefined;
  /** Aborted when it is being stopped. */
  stopping: AbortController | undefined;
  /** Its last complete output lines. */
  lines: string[] = [];
  private partial = '';
  private readonly matchers: { regex: RegExp; left: number; resolve(): void }[] = [];

  /** @param path its path @param spec its IR @param given its status in the record (attempts continue) */
  constructor(readonly path: string, readonly spec: ServiceSpec, given: NodeStatus | undefined) {
    this.status = { state: 'pending', skipped: false, attempt: given?.attempt ?? 0 };
  }

  /** Feeds output: keeps the last lines and counts log-wait matches, line by line. */
  feed(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.line(line);
  }

  /** Counts the unfinished last line as a line (the container exited). */
  flush(): void { if (this.partial) { this.line(this.partial); this.partial = ''; } }

  private line(line: string): void {
    this.lines.push(line);
    if (this.lines.length > LAST_LINES) this.lines.shift();
    for (const m of [...this.matchers]) {
      if (m.regex.test(line) && --m.left <= 0) { this.matchers.splice(this.matchers.indexOf(m), 1); m.resolve(); }
    }
  }

  /** Resolves once `times` more lines matched `regex`. */
  logMatches(regex: RegExp, times: number): Promise<void> {
    return new Promise((resolve) => this.matchers.push({ regex, left: times, resolve }));
  }

  /** "; last output: a | b" for a failure reason, or "; no output". */
  lastLines(): string {
    const lines = [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-LAST_LINES).filter((l) => l.trim());
    return lines.length ? `; last output: ${lines.map((l) => l.trim()).join(' | ')}` : '; no output';
  }
}
