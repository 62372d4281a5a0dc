/**
 * The actions a person takes on a run, from the terminal or the web UI, as plain data: Conducto's app
 * buttons (reset, skip, unskip, kill, edit, rebuild-and-reset) plus retry of the failed Execs. Being
 * data, an action can be written to a live run's control log and applied by its runner, or applied to
 * the record when no runner is left; either way it goes through checkAction and applyToRun.
 */
import type { ExecNode, Node, PipelineIR } from '../ir/index.ts';
import { findNode, walk } from '../ir/index.ts';
import type { RecordedImage } from '../store/index.ts';
import { RunOperationError } from '../errors.ts';

/** Puts the node and its subtree back to pending (running Execs are stopped first). */
export interface ResetAction { op: 'reset'; path: string }
/** Skips the node and its subtree. */
export interface SkipAction { op: 'skip'; path: string }
/** Clears skip on the node and everything under it. */
export interface UnskipAction { op: 'unskip'; path: string }
/** Kills the queued and running Execs at or under the node. */
export interface KillAction { op: 'kill'; path: string }
/** Resets the Execs at or under the node that ended in error or killed. */
export interface RetryAction { op: 'retry'; path: string }
/** Changes an Exec's command and/or env in the run's copy of the IR (never the pipeline file). */
export interface EditAction {
  op: 'edit';
  /** The Exec. */
  path: string;
  /** The new command: a shell script, or an argv array. */
  command?: string | string[];
  /** A native node's new arguments (tagged JSON; plain JSON is that too). */
  args?: unknown[];
  /** Variables to set (added to, or replacing, the node's own). */
  env?: Record<string, string>;
  /** Variables to remove from the node's env. */
  unsetEnv?: string[];
}
/** Replaces images with freshly built ones and resets the Execs that use them and have run. */
export interface RebuildAction {
  op: 'rebuild';
  /** Image name → the rebuilt image (the caller built it and saved it in meta.json). */
  images: Record<string, RecordedImage>;
}

/** Any control action. */
export type ControlAction = ResetAction | SkipAction | UnskipAction | KillAction | RetryAction | EditAction | RebuildAction;

/** The names of every action, for argument checks. */
export const CONTROL_OPS: readonly ControlAction['op'][] = ['reset', 'skip', 'unskip', 'kill', 'retry', 'edit', 'rebuild'];

/** "/a/b" from "a/b/", "/a//b". */
export const normalisePath = (path: string): string => `/${path.split('/').filter(Boolean).join('/')}`;

/** The node `path` names in `ir`; RunOperationError naming it otherwise. */
export function nodeOf(ir: PipelineIR, path: string): Node {
  if (typeof path !== 'string') throw new RunOperationError(`expected a node path, got ${JSON.stringify(path)}`, { path: String(path), operation: 'find' });
  try {
    return findNode(ir.root, path);
  } catch {
    throw new RunOperationError(`run has no node ${path}`, { path, operation: 'find' });
  }
}

/**
 * Checks an action against the run's IR: its node exists, an edit is on an Exec with something to
 * change, a rebuild names images of the run.
 * @throws RunOperationError saying what is wrong and what to do
 */
export function checkAction(ir: PipelineIR, action: ControlAction): void {
  if (action.op === 'rebuild') {
    const names = Object.keys(action.images);
    if (!names.length) throw new RunOperationError('rebuild: no image given', { path: '/', operation: 'rebuild' });
    for (const n of names) if (!ir.images[n]) throw new RunOperationError(`rebuild: the run has no image "${n}"`, { path: '/', operation: 'rebuild' });
    return;
  }
  const node = nodeOf(ir, action.path);
  if (action.op !== 'edit') return;
  if (node.kind !== 'exec') {
    throw new RunOperationError(`cannot edit ${normalisePath(action.path)}: it is a ${node.kind}; only Exec nodes have a command and env, edit one of its Execs`, { path: normalisePath(action.path), operation: 'edit' });
  }
  if (action.command === undefined && action.args === undefined && !Object.keys(action.env ?? {}).length && !action.unsetEnv?.length) {
    throw new RunOperationError(`edit ${normalisePath(action.path)}: nothing to change; give a command, args and/or env`, { path: normalisePath(action.path), operation: 'edit' });
  }
  if (action.args !== undefined) {
    if (!(node as ExecNode).call) throw new RunOperationError(`edit ${normalisePath(action.path)}: --args applies to a native-function node, and this one runs a command; give --command instead`, { path: normalisePath(action.path), operation: 'edit' });
    if (!Array.isArray(action.args)) throw new RunOperationError(`edit ${normalisePath(action.path)}: args must be a JSON array (one element per argument), got ${JSON.stringify(action.args)}`, { path: normalisePath(action.path), operation: 'edit' });
  }
  if (Array.isArray(action.command) && action.command.length === 0) throw new RunOperationError(`edit ${normalisePath(action.path)}: an argv command needs at least one word`, { path: normalisePath(action.path), operation: 'edit' });
  if (typeof action.command === 'string' && action.command.trim() === '') throw new RunOperationError(`edit ${normalisePath(action.path)}: the command is empty`, { path: normalisePath(action.path), operation: 'edit' });
  for (const name of [...Object.keys(action.env ?? {}), ...(action.unsetEnv ?? [])]) {
    if (name === '' || name.includes('=') || name.includes('\0')) throw new RunOperationError(`edit ${normalisePath(action.path)}: env name ${JSON.stringify(name)} is not usable as a variable name`, { path: normalisePath(action.path), operation: 'edit' });
  }
}

/** The Execs of `ir` that run in one of `images`, with their paths. */
export function execsUsing(ir: PipelineIR, images: readonly string[]): string[] {
  const out: string[] = [];
  walk(ir.root, (n, p) => { if (n.kind === 'exec' && images.includes((n as ExecNode).image)) out.push(p); });
  return out;
}
