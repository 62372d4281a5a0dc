/**
 * The reporter for logs (not a terminal): one timestamped line per state change and per output line,
 * then a summary with Conducto's P Q R D E K counts and the tail of each failing node's output.
 */
import { formatDuration, returnedText, type HookFiredEvent, type RunEvent, type RunResult } from '../core/index.ts';
import { flakyLines } from './flaky-report.ts';
import { LineSplitter } from './line-splitter.ts';
import { OutputTails } from './output-tails.ts';
import { countsLine, paintState, stateLabel } from './state-text.ts';

/** " (exit 3)", ": max time exceeded", or both; the engine's plain "exit code N" reason is not repeated. */
const describeEnd = (reason: string | undefined, exitCode: number | undefined): string => {
  const exit = exitCode !== undefined && exitCode !== 0 ? ` (exit ${exitCode})` : '';
  return reason && reason !== `exit code ${exitCode}` ? `${exit}: ${reason}` : exit;
};

const stamp = (at: number) => new Date(at).toISOString().slice(11, 23);

/**
 * Writes run events as plain lines to `out`. Output lines are cut by a LineSplitter per node and stream
 * (linear time; a line without its newline is printed in pieces once it is long), and the lines of one
 * chunk go out in one call.
 */
export class PlainReporter {
  private readonly partial = new Map<string, LineSplitter>();
  readonly tails = new OutputTails();
  /** Hook firings that failed, for the summary (a failed hook changes no state). */
  readonly hookFailures: HookFiredEvent[] = [];

  constructor(private readonly out: (line: string) => void, private readonly color = false) {}

  /** Handles one event. */
  onEvent = (e: RunEvent): void => {
    switch (e.type) {
      case 'run-started':
        this.out(`${stamp(e.at)}  run ${e.runId} of ${e.pipeline} started`);
        break;
      case 'state':
        // queued and plain pending are noise in a log; starts, ends and skips are worth a line.
        if (e.state === 'queued' || (e.state === 'pending' && !e.skipped && !e.reason)) break;
        this.flush(e.path, e.at);
        this.out(`${stamp(e.at)}  ${e.path}  ${paintState(e.state, e.service ? `service ${e.service}` : stateLabel(e), this.color)}${e.cached && !e.skipped ? ` from run ${e.cached.runId}` : ''}${describeEnd(e.reason, e.exitCode)}${e.result !== undefined ? `: ${returnedText(e.result)}` : ''}`);
        break;
      case 'hook':
        if (!e.ok) this.hookFailures.push(e);
        this.out(`${stamp(e.at)}  ${e.path}  hook ${e.event} → ${e.hook}: ${e.ok ? 'ok' : `failed: ${e.error ?? ''}`}`);
        break;
      case 'retry':
        this.flush(e.path, e.at);
        this.out(`${stamp(e.at)}  ${e.path}  attempt ${e.failed} failed (${e.failure}): ${e.reason}; retry ${e.attempt}/${e.of} in ${formatDuration(e.delayMs / 1000)}`);
        break;
      case 'output': {
        this.tails.add(e.path, e.data);
        const key = `${e.path}\u0000${e.stream}`;
        let splitter = this.partial.get(key);
        if (!splitter) this.partial.set(key, (splitter = new LineSplitter()));
        const lines = splitter.push(e.data);
        if (!lines.length) break;
        const prefix = `${stamp(e.at)}  ${e.path}  ${e.stream === 'stderr' ? '!' : '|'} `;
        this.out(lines.length === 1 ? prefix + lines[0] : prefix + lines.join(`\n${prefix}`));
        break;
      }
      case 'run-finished':
        for (const key of [...this.partial.keys()]) this.flush(key.split('\u0000')[0]!, e.at);
        break;
      default:
        break;
    }
  };

  /** Prints the summary and the output tail of every failed node. */
  summary(result: RunResult, seconds: number): void {
    this.out(`${paintState(result.state, result.state.toUpperCase(), this.color)}  ${countsLine(Object.values(result.statuses))}  (${seconds.toFixed(1)}s)`);
    for (const line of flakyLines(result.statuses)) this.out(line);
    // A failed hook changed no state, so the counts above do not show it: say it here.
    for (const h of this.hookFailures) this.out(`hook failed: ${h.path} ${h.event} → ${h.hook}: ${h.error ?? ''}`);
    for (const path of result.failed) {
      const status = result.statuses[path];
      this.out('');
      this.out(`── ${path} ${status?.state ?? ''}${describeEnd(status?.reason, status?.exitCode)} ── last output:`);
      const tail = this.tails.get(path);
      this.out(tail.length ? tail.join('\n') : '(no output)');
    }
  }

  private flush(path: string, at: number): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = `${path}\u0000${stream}`;
      const rest = this.partial.get(key)?.flush();
      if (rest) this.out(`${stamp(at)}  ${path}  ${stream === 'stderr' ? '!' : '|'} ${rest}`);
      this.partial.delete(key);
    }
  }
}
