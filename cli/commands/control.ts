/**
 * Conducto's app actions as commands on a run: reset, skip, unskip, kill, retry, edit. Each goes
 * through core's control layer (controlRun), as the web UI's buttons do: a run that is being executed
 * gets it live, from its runner, within 200 ms; otherwise it is applied to the record (`caisson resume`
 * then runs what is pending). Either way it is one control entry in the run's log; skip, unskip and
 * edit also change the run's copy of the IR (ir.json), never the user's pipeline file.
 */
import { controlRun, RunOperationError, type ControlAction, type ControlOutcome, type RunRecord } from '../../core/plugin-kit.ts';
import { UsageError } from '../usage-error.ts';
import { checkNodePath, type DirOption, findRecord } from '../records/open-run.ts';

/** Options of `caisson edit`. */
export interface EditOptions extends DirOption {
  command?: string;
  /** --args: a native node's new arguments, a JSON array. */
  args?: string;
  env?: string[];
  unsetEnv?: string[];
}


/** Applies `action`, turning a refusal into a usage error (exit 2) with the layer's message. */
export async function act(record: RunRecord, action: ControlAction): Promise<ControlOutcome> {
  try {
    return await controlRun(record, action);
  } catch (e) {
    if (e instanceof RunOperationError) throw new UsageError(e.message);
    throw e;
  }
}

/** "live (its runner, pid 123, applied it)" or the resume hint. */
const how = (record: RunRecord, o: ControlOutcome, pending = 'runs what is pending'): string => (o.live
  ? `applied live by the run's runner`
  : `caisson resume ${record.id} ${pending}`);

/** `caisson reset|skip|unskip|kill|retry <run> <node-path>`. */
export async function controlCommand(op: 'reset' | 'skip' | 'unskip' | 'kill' | 'retry', ref: string, nodePath: string, opts: DirOption): Promise<number> {
  const record = findRecord(opts, ref);
  const path = checkNodePath(record.loadIr(), nodePath, record.id);
  const outcome = await act(record, { op, path });
  const s = outcome.statuses[path]!;
  const now = `now ${s.state}${s.skipped ? ' (skipped)' : ''}`;
  if (op === 'retry') {
    const paths = outcome.entry.paths;
    process.stdout.write(paths.length
      ? `retry ${path}: reset ${paths.length} failed node${paths.length === 1 ? '' : 's'} (${paths.join(', ')}); ${how(record, outcome)}\n`
      : `retry ${path}: no node under it failed; nothing to do\n`);
    return 0;
  }
  if (op === 'kill') {
    const killed = outcome.entry.events.filter((e) => e.state === 'killed').length;
    process.stdout.write(`kill ${path}: asked the run's runner to stop what runs under it (${killed ? `${killed} queued node${killed === 1 ? '' : 's'} killed at once, ` : ''}running ones end killed by user)\n`);
    return 0;
  }
  process.stdout.write(`${op} ${path}: ${now}; ${how(record, outcome)}\n`);
  return 0;
}

/** `caisson edit <run> <node-path> --command CMD --env K=V… --unset-env K…`: changes that run's copy of the Exec. */
export async function editCommand(ref: string, nodePath: string, opts: EditOptions): Promise<number> {
  if (opts.command === undefined && opts.args === undefined && !opts.env?.length && !opts.unsetEnv?.length) throw new UsageError('edit: give --command CMD, --args JSON and/or --env K=V (repeatable)', { option: '--command' });
  let args: unknown;
  if (opts.args !== undefined) {
    try { args = JSON.parse(opts.args); } catch (e) { throw new UsageError(`--args: not JSON: ${(e as Error).message}; give the arguments as a JSON array, e.g. --args '[[1,2],{"label":"x"}]'`, { option: '--args' }); }
    if (!Array.isArray(args)) throw new UsageError(`--args: expected a JSON array of the arguments, got ${opts.args}`, { option: '--args' });
  }
  const record = findRecord(opts, ref);
  const path = checkNodePath(record.loadIr(), nodePath, record.id);
  const env: Record<string, string> = {};
  for (const pair of opts.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair}: expected NAME=VALUE`, { option: '--env' });
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const outcome = await act(record, {
    op: 'edit', path,
    ...(opts.command !== undefined ? { command: opts.command } : {}),
    ...(args !== undefined ? { args: args as unknown[] } : {}),
    ...(opts.env?.length ? { env } : {}),
    ...(opts.unsetEnv?.length ? { unsetEnv: opts.unsetEnv } : {}),
  });
  const s = outcome.statuses[path]!;
  const next = outcome.live
    ? (s.state === 'pending' || s.state === 'queued' ? 'its runner runs it with the change' : `it is ${s.state}: caisson reset ${record.id} ${path} runs it again with the change`)
    : (s.state === 'pending' ? `caisson resume ${record.id} runs it with the change` : `it is ${s.state}: caisson reset ${record.id} ${path}, then caisson resume ${record.id}`);
  process.stdout.write(`edited ${path} in run ${record.id} (ir.json; your pipeline file is unchanged); ${next}\n`);
  return 0;
}
