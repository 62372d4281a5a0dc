/**
 * `caisson logs <run> <node-path> [--attempt N] [--follow]`: one attempt's output, stdout to stdout and
 * stderr to stderr (so they stay apart), in the order it was produced. --follow keeps printing while the
 * attempt runs and ends when it does.
 */
import { returnedText, runnerStateOf, type OutputChunk, type OutputFollower, type RunProjection, type RunRecord } from '../../core/plugin-kit.ts';
import { positiveInt } from '../options.ts';
import { UsageError } from '../usage-error.ts';
import { checkNodePath, type DirOption, findRecord } from '../records/open-run.ts';

/** Options of `caisson logs`. */
export interface LogsOptions extends DirOption {
  attempt?: string;
  follow?: boolean;
}

const print = (c: OutputChunk) => (c.stream === 'stderr' ? process.stderr : process.stdout).write(c.data);

/** Prints every chunk the follower has, a window at a time (a capped log is 50 MB). */
const drain = (tail: OutputFollower): void => {
  for (let chunks = tail.read(4 * 1024 * 1024); chunks.length; chunks = tail.read(4 * 1024 * 1024)) chunks.forEach(print);
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
  const a = replayed.attempts.get(path)?.find((r) => r.attempt === attempt);
  // Said on stderr, as the log cap's markers are: stdout stays the node's output, byte for byte.
  if (a?.cache === 'hit') process.stderr.write(`caisson: ${path} attempt ${attempt} was a cache hit: this is the output stored by run ${a.cachedFrom ?? '?'} (caisson why ${record.id} ${path})\n`);
  const tail = record.followOutput(path, attempt);
  drain(tail);
  if (opts.follow) await follow(record, replayed, path, attempt, tail);
  // A native call's return value is not output: it is said after it, on stderr, as the markers are.
  const ended = replayed.attempts.get(path)?.find((a) => a.attempt === attempt);
  if (ended?.result !== undefined) process.stderr.write(`caisson: ${path} attempt ${attempt} ${returnedText(ended.result)}\n`);
  return 0;
}

/**
 * Polls until the attempt is over or no runner is left, then prints what came last. Each poll reads only
 * what was appended since the last one, of the output file and of the event log alike.
 */
async function follow(record: RunRecord, replayed: RunProjection & { offset: number }, path: string, attempt: number, tail: OutputFollower): Promise<void> {
  const log = record.follow(replayed.offset);
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    drain(tail);
    for (const { entry } of log.read()) replayed.apply(entry);
    const s = replayed.statuses[path];
    const over = s !== undefined && (s.attempt > attempt || (s.attempt === attempt && s.state !== 'running' && s.state !== 'queued'));
    if (over || runnerStateOf(replayed) !== 'running') break;
  }
  drain(tail);
}
