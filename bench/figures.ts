/**
 * Machine-readable figures: a bench calls `figure()` for each ratio it prints; when the runner was asked
 * for JSON (`npm run bench -- --json`), it sets CAISSON_BENCH_JSON to a file and each figure is appended
 * to it as one JSON line. Printing stays the bench's own business.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';

/** One measured figure against its floor, both measured in the same run. */
export interface Figure {
  /** What was measured ("caisson run, 1 node"). */
  what: string;
  /** Caisson's figure. */
  value: number;
  /** The floor or peer it is compared with ("docker run --rm busybox true"). */
  baseline: string;
  /** The floor's figure, in the same unit. */
  baselineValue: number;
  /** Unit of both ("ms", "MB", "fps"). */
  unit: string;
  /** The target ratio, when the bench has one (value / baselineValue must stay at or under it). */
  target?: number;
}

/** Records `f` (with its ratio and the bench file's name) when JSON output was asked for. */
export function figure(f: Figure): void {
  const file = process.env.CAISSON_BENCH_JSON;
  if (!file) return;
  const bench = basename(process.argv[1] ?? 'bench').replace(/\.bench\.ts$/, '');
  appendFileSync(file, `${JSON.stringify({ bench, ...f, ratio: f.value / f.baselineValue })}\n`);
}
