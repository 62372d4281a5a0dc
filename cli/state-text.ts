/**
 * Node states as every reporter writes them (live tree, plain lines, `runs`, `show`): Conducto's
 * `P Q R D E K` counts and short durations.
 */
import pc from 'picocolors';
import type { CachedMark, NodeState } from '../core/index.ts';

const LETTERS: Record<NodeState, string> = { pending: 'P', queued: 'Q', running: 'R', done: 'D', error: 'E', killed: 'K' };

/** Conducto-style counts of every node: "P 3  Q 1  R 2  D 10  E 0  K 0" (skipped nodes count in their state). */
export function countsLine(nodes: Iterable<{ state: NodeState }>): string {
  const counts: Record<string, number> = { P: 0, Q: 0, R: 0, D: 0, E: 0, K: 0 };
  for (const n of nodes) counts[LETTERS[n.state]]!++;
  return Object.entries(counts).map(([k, v]) => `${k} ${v}`).join('  ');
}

/** "0.4s", "12s", "3m05s", "1h02m": short, and whole seconds while running so a live clock ticks once a second. */
export function formatElapsed(ms: number, running = false): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return running ? `${Math.floor(s)}s` : `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Paints a state word on a terminal (no colour when `color` is false): one palette for every reporter. */
export function paintState(state: NodeState, text: string, color: boolean): string {
  if (!color) return text;
  if (state === 'done') return pc.green(text);
  if (state === 'error' || state === 'killed') return pc.red(text);
  if (state === 'running') return pc.cyan(text);
  if (state === 'queued') return pc.yellow(text);
  return pc.dim(text);
}

/** A node's state word: "done", "pending (skipped)", "done (cached)" for a result reused from an earlier run. */
export function stateLabel(s: { state: NodeState; skipped: boolean; cached?: CachedMark }): string {
  if (s.skipped) return `${s.state} (skipped)`;
  return s.cached ? `${s.state} (cached)` : s.state;
}
