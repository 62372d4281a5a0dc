/**
 * Picks how `caisson run` reports: the live tree when stdout is a terminal, plain timestamped lines
 * otherwise (CI logs, pipes). Both take run and image events and end with the same summary.
 */
import { formatImageEvent, type ImageEvent, type PipelineIR, type RunEvent, type RunResult } from '../core/plugin-kit.ts';
import { PlainReporter } from './plain-reporter.ts';
import { TtyReporter } from './tty-reporter.ts';

/** What `caisson run` needs from a reporter. */
export interface RunReporter {
  onEvent(e: RunEvent): void;
  onImageEvent(e: ImageEvent): void;
  /** Prints a message the live tree must not draw over (e.g. "cancelling…"). */
  note(line: string): void;
  /** Ends live drawing; prints the summary and the tails of failed nodes. */
  summary(result: RunResult, seconds: number): void;
  /** Ends live drawing without a summary (the run could not start). */
  stop(): void;
}

/** Writes image events as plain lines; build logs are long, so steps and results are enough in a log. */
export const printImageEvent = (out: NodeJS.WritableStream) => (e: ImageEvent): void => {
  if (e.type !== 'image-log') out.write(`${formatImageEvent(e)}\n`);
};

/** The live tree on a TTY (`process.stdout.isTTY`), plain lines otherwise. */
export function runReporter(ir: PipelineIR, out: NodeJS.WriteStream = process.stdout): RunReporter {
  if (out.isTTY && process.env.TERM !== 'dumb') {
    const tty = new TtyReporter(ir, out, { color: true });
    tty.start();
    return tty;
  }
  const plain = new PlainReporter((line) => out.write(`${line}\n`), false);
  return {
    onEvent: plain.onEvent,
    onImageEvent: printImageEvent(out),
    note: (line) => { process.stderr.write(`${line}\n`); },
    summary: (result, seconds) => plain.summary(result, seconds),
    stop: () => {},
  };
}
