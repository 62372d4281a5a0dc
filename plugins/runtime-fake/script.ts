/**
 * What a scripted node does when the fake runtime runs it.
 */
import { parseDuration, UsageError } from '../../core/index.ts';

/** One scripted execution. Everything is optional: the default is "exit 0 at once, no output". */
export interface Script {
  /** Exit code (default 0). */
  exitCode?: number;
  /** Written to stdout when the command starts. */
  stdout?: string;
  /** Written to stderr when the command starts. */
  stderr?: string;
  /** Virtual run time: ms, or a duration string ("30s", "1h30m"). Default 0. */
  duration?: number | string;
  /** Never ends by itself: runs until killed (maxTime, cancel, kill). */
  hang?: true;
  /** Ends as the kernel's OOM killer would: killed "oom". */
  oom?: true;
  /**
   * The runtime fails: run() throws this error. The engine classifies it `infra`, which is retried by
   * default (3 attempts in all); the node then goes to error with its message.
   */
  fail?: Error;
  /**
   * A lazy node's generator: what it writes to the file named by $CAISSON_GRAFT_FILE (a string as it
   * is, anything else as JSON), read back by the engine as on Docker. Leave it out to write nothing.
   */
  graft?: unknown;
  /**
   * Files the command writes, by path (relative to its working dir, else "/"; or absolute): text or
   * bytes, written when it ends. Declared outputs are taken from them.
   */
  writes?: Record<string, string | Buffer>;
  /** What the command does to the run's data store, as `caisson-data put` and `delete` would (applied when it ends). */
  data?: { put?: Record<string, string>; delete?: string[] };
}

/**
 * How a node is scripted: one Script for every attempt, one per attempt (`[failFirst, succeed]`; the
 * last entry repeats), or a function of the attempt number (1 = first run).
 */
export type ScriptSpec = Script | Script[] | ((attempt: number) => Script);

/** The Script for attempt `attempt` (1-based) of a spec. */
export function scriptFor(spec: ScriptSpec, attempt: number): Script {
  if (typeof spec === 'function') return spec(attempt);
  if (Array.isArray(spec)) return spec[Math.min(attempt, spec.length) - 1] ?? {};
  return spec;
}

/** A script's duration in ms. */
export function durationMs(script: Script, path: string): number {
  const d = script.duration;
  if (d === undefined) return 0;
  if (typeof d === 'number') return d;
  const seconds = parseDuration(d);
  if (seconds === undefined) {
    throw new UsageError(`fake script for ${path}: duration "${d}" is not a duration like "30s" or "1h30m" (or a number of ms)`, { path, option: 'duration' });
  }
  return seconds * 1000;
}
