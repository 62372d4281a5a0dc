/**
 * A recorded run's tree, drawn with pretty()'s glyphs, each node with its state, attempt, start time
 * and duration: what `caisson show` prints.
 *
 *   /hello  done  07:47:12  3.2s
 *   ├─0 greet  done  attempt 1  07:47:12  0.4s
 *   └─1 slow  killed  attempt 1  07:47:13  1.0s: interrupted: the process running it ended
 */
import pc from 'picocolors';
import type { Node, NodeStatus, PipelineIR } from '../../core/plugin-kit.ts';
import { callText, childPath, returnedText } from '../../core/plugin-kit.ts';
import { formatElapsed, paintState, stateLabel } from '../state-text.ts';


/** UTC time of day, as the plain reporter stamps its lines. */
export const clockTime = (at: number): string => new Date(at).toISOString().slice(11, 19);

/** One node's status words (a service's: `node` undefined, its phase as the word). `now` closes the duration of what is still running. */
function describe(node: Node | undefined, s: NodeStatus | undefined, now: number, color: boolean): string {
  if (!s) return 'pending';
  const parts = [paintState(s.state, s.service ? (s.skipped ? `${s.service} (skipped)` : s.service) : stateLabel(s), color)];
  if (s.cached && !s.skipped) parts.push(`from run ${s.cached.runId}`);
  if ((node === undefined || node.kind === 'exec') && s.attempt > 0) parts.push(`attempt ${s.attempt}`);
  if (s.startedAt !== undefined) {
    parts.push(clockTime(s.startedAt));
    parts.push(formatElapsed((s.endedAt ?? now) - s.startedAt) + (s.endedAt === undefined ? '…' : ''));
  }
  const exit = s.exitCode !== undefined && s.exitCode !== 0 ? ` (exit ${s.exitCode})` : '';
  const reason = s.reason && s.reason !== `exit code ${s.exitCode}` ? `: ${s.reason}` : '';
  const returned = s.result !== undefined ? `: ${returnedText(s.result)}` : '';
  // A native call names its function: what ran is not a command line.
  const call = node?.kind === 'exec' && node.call ? `  ${callText(node.call)}` : '';
  return parts.join('  ') + exit + reason + returned + call;
}

/** The tree, one line per node. */
export function renderStatusTree(ir: PipelineIR, statuses: Record<string, NodeStatus>, opts: { color: boolean; now: number }): string {
  const name = (n: Node) => (!opts.color ? n.name : n.kind === 'exec' ? pc.cyan(n.name) : pc.blue(n.name));
  const rootPath = childPath('', ir.root.name);
  const lines = [`${opts.color ? pc.blue(rootPath) : rootPath}  ${describe(ir.root, statuses[rootPath], opts.now, opts.color)}`];
  const visit = (node: Node, path: string, indent: string): void => {
    if (node.kind === 'exec') return;
    // A lazy node's graft point before its generator ran (see pretty()).
    if (node.kind === 'serial' && node.placeholder !== undefined && node.children.length === 0) { lines.push(`${indent}└─ ${opts.color ? pc.dim(`… ${node.placeholder}`) : `… ${node.placeholder}`}`); return; }
    const width = String(node.children.length - 1).length;
    // Services first, marked ◆, with their phase (starting, ready, stopped, failed) as their state.
    (node.services ?? []).forEach((svc, i) => {
      const last = i === (node.services?.length ?? 0) - 1 && node.children.length === 0;
      const p = childPath(path, svc.name);
      lines.push(`${indent}${last ? '└─' : '├─'}◆ ${opts.color ? pc.magenta(svc.name) : svc.name}  ${describe(undefined, statuses[p], opts.now, opts.color)}`);
    });
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      const label = node.kind === 'serial' ? `${String(i).padStart(width, '0')} ` : ' ';
      const p = childPath(path, child.name);
      lines.push(`${indent}${last ? '└─' : '├─'}${label}${name(child)}  ${describe(child, statuses[p], opts.now, opts.color)}`);
      visit(child, p, `${indent}${last ? '  ' : '│ '}`);
    });
  };
  visit(ir.root, rootPath, '');
  return lines.join('\n');
}
