/**
 * Conducto's app actions as commands on a recorded run: reset, skip, unskip, edit. Each is applied to
 * the run rebuilt from its record and appended to its log as one control entry; skip, unskip and edit
 * also change the run's copy of the IR (ir.json), never the user's pipeline file. `caisson resume`
 * then runs what is pending.
 */
import { recordControl, restoreRun, type Node, type Run } from '../../core/plugin-kit.ts';
import { UsageError } from '../usage-error.ts';
import { checkNodePath, type DirOption, findRecord, refuseWhileRunning } from '../records/open-run.ts';

/** Options of `caisson edit`. */
export interface EditOptions extends DirOption {
  command?: string;
  env?: string[];
}

/** Collects repeated `--env K=V` values (commander's option parser). */
export const collectEnv = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The node object inside `run.ir` at `path`. */
function irNodeAt(run: Run, path: string): Node {
  let node: Node = run.ir.root;
  for (const name of path.split('/').filter(Boolean).slice(1)) node = (node.kind === 'exec' ? [] : node.children).find((c) => c.name === name)!;
  return node;
}

function forSubtree(node: Node, visit: (n: Node) => void): void {
  visit(node);
  if (node.kind !== 'exec') for (const c of node.children) forSubtree(c, visit);
}

/** `caisson reset|skip|unskip <run> <node-path>`. */
export function controlCommand(op: 'reset' | 'skip' | 'unskip', ref: string, nodePath: string, opts: DirOption): number {
  const { record, run, path } = openForControl(ref, nodePath, op);
  recordControl(record, run, { op, paths: [path] }, () => {
    if (op === 'reset') run.reset(path);
    else if (op === 'skip') run.skip(path);
    else run.unskip(path);
  });
  // ir.json's skip flags are what a restored run starts from, so they must say the same.
  if (op === 'skip') irNodeAt(run, path).skip = true;
  if (op === 'unskip') forSubtree(irNodeAt(run, path), (n) => { n.skip = false; });
  if (op !== 'reset') record.saveIr(run.ir);
  const s = run.status(path);
  process.stdout.write(`${op} ${path}: now ${s.state}${s.skipped ? ' (skipped)' : ''}; caisson resume ${record.id} runs what is pending\n`);
  return 0;

  function openForControl(r: string, p: string, action: string) {
    const rec = findRecord(opts, r);
    const replayed = rec.replay();
    refuseWhileRunning(rec, replayed, action);
    const ir = rec.loadIr();
    const normalised = checkNodePath(ir, p, rec.id);
    return { record: rec, run: restoreRun(ir, rec.id, replayed.statuses), path: normalised };
  }
}

/** `caisson edit <run> <node-path> --command CMD --env K=V…`: changes that run's copy of the Exec. */
export function editCommand(ref: string, nodePath: string, opts: EditOptions): number {
  if (opts.command === undefined && !opts.env?.length) throw new UsageError('edit: give --command CMD and/or --env K=V (repeatable)', { option: '--command' });
  const record = findRecord(opts, ref);
  const replayed = record.replay();
  refuseWhileRunning(record, replayed, 'edit');
  const ir = record.loadIr();
  const path = checkNodePath(ir, nodePath, record.id);
  const run = restoreRun(ir, record.id, replayed.statuses);
  const env: Record<string, string> = {};
  for (const pair of opts.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair}: expected NAME=VALUE`, { option: '--env' });
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const node = irNodeAt(run, path);
  const change = {
    ...(opts.command !== undefined ? { command: opts.command } : {}),
    // Given variables are added to (or replace ones in) the node's env; the rest stay.
    ...(opts.env?.length ? { env: { ...(node.kind === 'exec' ? node.env : {}), ...env } } : {}),
  };
  run.edit(path, change);
  // The IR copy first: a kill between the two leaves the edit in force, merely unlogged.
  record.saveIr(run.ir);
  const detail = { ...(opts.command !== undefined ? { command: opts.command } : {}), ...(opts.env?.length ? { envNames: Object.keys(env) } : {}) };
  recordControl(record, run, { op: 'edit', paths: [path], detail }, () => {});
  const s = run.status(path);
  const next = s.state === 'pending' ? `caisson resume ${record.id} runs it with the change` : `it is ${s.state}: caisson reset ${record.id} ${path}, then caisson resume ${record.id}`;
  process.stdout.write(`edited ${path} in run ${record.id} (ir.json; your pipeline file is unchanged); ${next}\n`);
  return 0;
}
