/**
 * `caisson logs <run> <node-path> [--attempt N] [--follow]`: one attempt's output, stdout to stdout and
 * stderr to stderr (so they stay apart), in the order it was produced. --follow keeps printing while the
 * attempt runs and ends when it does.
 */
import { closeSync, existsSync, openSync, readSync, fstatSync } from 'node:fs';
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

/** Reads whole lines appended to a file since the last call. */
class FileTail {
  private offset = 0;
  private rest = '';
  constructor(private readonly file: string) {}
  read(): OutputChunk[] {
    if (!existsSync(this.file)) return [];
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      this.offset = size;
      const text = this.rest + buf.toString('utf8');
      const cut = text.lastIndexOf('\n') + 1;
      this.rest = text.slice(cut);
      return parseOutput(text.slice(0, cut));
    } finally {
      closeSync(fd);
    }
  }
}

/** Prints the chosen attempt (default: the latest; with --follow on a live run, the one under way or next). */
export async function logsCommand(ref: string, nodePath: string, opts: LogsOptions): Promise<number> {
  const record = findRecord(opts, ref);
  const path = checkNodePath(record.loadIr(), nodePath, record.id);
  const replayed = record.replay();
  const latest = replayed.statuses[path]?.attempt ?? 0;
  const live = runnerStateOf(replayed) === 'running';
  let attempt = positiveInt('--attempt', opts.attempt);
  if (attempt !== undefined && attempt > latest && !(opts.follow && live)) {
    throw new UsageError(`${path} in run ${record.id} has ${latest === 0 ? 'never run' : `attempts 1..${latest}`}; --attempt ${attempt} does not exist`);
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
  tail.read().forEach(print);
  if (opts.follow) await follow(record, path, attempt, tail);
  return 0;
}

/** Polls until the attempt is over or no runner is left, then prints what came last. */
async function follow(record: RunRecord, path: string, attempt: number, tail: FileTail): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    tail.read().forEach(print);
    const replayed = record.replay();
    const s = replayed.statuses[path];
    const over = s !== undefined && (s.attempt > attempt || (s.attempt === attempt && s.state !== 'running' && s.state !== 'queued'));
    if (over || runnerStateOf(replayed) !== 'running') break;
  }
  tail.read().forEach(print);
}
