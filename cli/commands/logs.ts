/**
 * `caisson logs <run> <node-path> [--attempt N] [--follow]`: one attempt's output, stdout to stdout and
 * stderr to stderr (so they stay apart), in the order it was produced. --follow keeps printing while the
 * attempt runs and ends when it does.
 */
import { closeSync, existsSync, openSync, readSync, fstatSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { outputFileOf, parseOutput, runnerStateOf, type OutputChunk, type RunRecord } from '../../core/plugin-kit.ts';
import { positiveInt } from '../options.ts';
import { UsageError } from '../usage-error.ts';
import { checkNodePath, type DirOption, findRecord } from '../records/open-run.ts';

/** Options of `caisson logs`. */
export interface LogsOptions extends DirOption {
  attempt?: string;
  follow?: boolean;
}

const print = (c: OutputChunk) => (c.stream === 'stderr' ? process.stderr : process.stdout).write(c.data);

/** The most of a file read at once: a capped log is 50 MB, and printing it needs only a window at a time. */
const WINDOW = 4 * 1024 * 1024;

/** Reads whole lines appended to a file since the last call, a window at a time. */
class FileTail {
  private offset = 0;
  private rest = '';
  private line = 1;
  private readonly decoder = new StringDecoder('utf8');
  constructor(private readonly file: string) {}

  /** Hands every chunk written since the last call to `onChunk`, in order. */
  read(onChunk: (c: OutputChunk) => void): void {
    if (!existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(WINDOW, Math.max(0, size - this.offset)));
      while (this.offset < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - this.offset), this.offset);
        if (n <= 0) break;
        this.offset += n;
        const text = this.rest + this.decoder.write(buf.subarray(0, n));
        const cut = text.lastIndexOf('\n') + 1;
        this.rest = text.slice(cut);
        if (!cut) continue;
        const complete = text.slice(0, cut);
        parseOutput(complete, { file: this.file, firstLine: this.line }).forEach(onChunk);
        this.line += countLines(complete);
      }
    } finally {
      closeSync(fd);
    }
  }
}

const countLines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** Prints the chosen attempt (default: the latest; with --follow on a live run, the one under way or next). */
export async function logsCommand(ref: string, nodePath: string, opts: LogsOptions): Promise<number> {
  const record = findRecord(opts, ref);
  const path = checkNodePath(record.loadIr(), nodePath, record.id);
  const replayed = record.replay();
  const latest = replayed.statuses[path]?.attempt ?? 0;
  const live = runnerStateOf(replayed) === 'running';
  let attempt = positiveInt('--attempt', opts.attempt);
  if (attempt !== undefined && attempt > latest && !(opts.follow && live)) {
    throw new UsageError(`${path} in run ${record.id} has ${latest === 0 ? 'never run' : `attempts 1..${latest}`}; --attempt ${attempt} does not exist`, { path, option: '--attempt' });
  }
  if (attempt === undefined) {
    const waiting = ['pending', 'queued'].includes(replayed.statuses[path]?.state ?? 'pending');
    attempt = opts.follow && live && waiting ? latest + 1 : latest;
  }
  if (attempt === 0) {
    process.stderr.write(`${path} has not run in run ${record.id}; nothing to show (add --follow while the run is going to wait for it)\n`);
    return 0;
  }
  const tail = new FileTail(outputFileOf(record.dir, path, attempt));
  tail.read(print);
  if (opts.follow) await follow(record, path, attempt, tail);
  return 0;
}

/** Polls until the attempt is over or no runner is left, then prints what came last. */
async function follow(record: RunRecord, path: string, attempt: number, tail: FileTail): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    tail.read(print);
    const replayed = record.replay();
    const s = replayed.statuses[path];
    const over = s !== undefined && (s.attempt > attempt || (s.attempt === attempt && s.state !== 'running' && s.state !== 'queued'));
    if (over || runnerStateOf(replayed) !== 'running') break;
  }
  tail.read(print);
}
