/**
 * The live tree as text: a pure function from the state, the clock and the terminal's size to the
 * lines of one frame. Fits the terminal: every line is cut to the width, and when the tree is taller
 * than the screen, finished subtrees fold into one line, then untouched pending ones, then a window
 * keeps the active part (or the tail) in view.
 */
import pc from 'picocolors';
import { FINISHED_STATES, returnedText } from '../core/index.ts';
import { countsLine, formatElapsed, paintState, stateLabel } from './state-text.ts';
import type { LiveNode, LiveState } from './tty-state.ts';
import { truncateVisible } from './tty-text.ts';

export interface FrameOptions {
  /** Epoch ms used for the elapsed time of running nodes. */
  now: number;
  /** Terminal columns and rows. */
  width: number;
  height: number;
  color: boolean;
}

interface Row { node: LiveNode; folded: number }

const isSettled = (n: LiveNode) => FINISHED_STATES.has(n.state) || (n.skipped && n.state !== 'running' && n.state !== 'queued');

function rowsOf(state: LiveState, fold: (n: LiveNode) => boolean): Row[] {
  const rows: Row[] = [];
  const size = (i: number): number => state.nodes[i]!.children.reduce((sum, c) => sum + size(c), 1);
  const visit = (i: number) => {
    const node = state.nodes[i]!;
    if (node.children.length > 0 && i !== 0 && fold(node)) { rows.push({ node, folded: size(i) - 1 }); return; }
    rows.push({ node, folded: 0 });
    node.children.forEach(visit);
  };
  visit(0);
  return rows;
}

function rowText(row: Row, now: number, color: boolean): string {
  const n = row.node;
  const label = n.service ? (n.skipped ? `${n.service} (skipped)` : n.service) : stateLabel(n);
  const parts = [`${'  '.repeat(n.depth)}${n.name}`, paintState(n.state, label, color)];
  if (n.startedAt !== undefined && n.state !== 'pending' && n.state !== 'queued') {
    parts.push(formatElapsed((n.endedAt ?? now) - n.startedAt, n.endedAt === undefined));
  }
  if (n.attempt > 1) parts.push(`attempt ${n.attempt}`);
  if (row.folded > 0) parts.push(`(+${row.folded} nodes)`);
  if ((n.state === 'error' || n.state === 'killed') && n.reason) parts.push(color ? pc.red(n.reason) : n.reason);
  // A queued Exec with a reason waits for a retry: "exit code 1; retry 2/3 in 8s".
  if (n.state === 'queued' && n.reason && n.children.length === 0) parts.push(color ? pc.yellow(n.reason) : n.reason);
  if (n.state === 'done' && n.result !== undefined) parts.push(color ? pc.dim(returnedText(n.result)) : returnedText(n.result));
  // A starting service says what it waits for.
  if (n.service === 'starting' && n.reason) parts.push(color ? pc.yellow(n.reason) : n.reason);
  else if (n.state === 'running' && n.lastLine && n.children.length === 0) parts.push(color ? pc.dim(`│ ${n.lastLine}`) : `│ ${n.lastLine}`);
  return parts.join('  ');
}

/** Picks `room` rows: those around the first active row, or the tail when nothing is active. */
function windowOf(rows: Row[], room: number): { rows: Row[]; above: number; below: number } {
  if (rows.length <= room) return { rows, above: 0, below: 0 };
  const active = rows.findIndex((r) => r.node.children.length === 0 && (r.node.state === 'running' || r.node.state === 'queued'));
  const span = Math.max(1, room - 2); // leave room for the "more above / below" lines
  let start = active < 0 ? rows.length - span : Math.max(0, active - 1);
  start = Math.min(start, rows.length - span);
  return { rows: rows.slice(start, start + span), above: start, below: rows.length - start - span };
}

/** The lines of one frame. Never more than `height - 1` lines, none wider than `width - 1` columns. */
export function renderFrame(state: LiveState, opts: FrameOptions): string[] {
  const { now, color } = opts;
  const width = Math.max(10, opts.width - 1);
  const room = Math.max(3, opts.height - 1);
  const elapsed = state.startedAt !== undefined ? `  ${formatElapsed((state.finishedAt ?? now) - state.startedAt, state.finishedAt === undefined)}` : '';
  const header = `${state.pipeline}${state.runId ? `  run ${state.runId}` : ''}  ${countsLine(state.nodes)}${elapsed}`;
  const lines = [color ? pc.bold(header) : header];
  for (const [image, line] of state.images) lines.push(`image ${image}: ${line}`);
  const treeRoom = Math.max(1, room - lines.length);

  let rows = rowsOf(state, () => false);
  if (rows.length > treeRoom) rows = rowsOf(state, isSettled);
  if (rows.length > treeRoom) rows = rowsOf(state, (n) => isSettled(n) || (n.state === 'pending' && n.attempt === 0 && !n.startedAt));
  const view = windowOf(rows, treeRoom);
  if (view.above > 0) lines.push(color ? pc.dim(`… ${view.above} more above`) : `… ${view.above} more above`);
  for (const row of view.rows) lines.push(rowText(row, now, color));
  if (view.below > 0) lines.push(color ? pc.dim(`… ${view.below} more below`) : `… ${view.below} more below`);
  return lines.slice(0, room).map((l) => truncateVisible(l, width));
}
