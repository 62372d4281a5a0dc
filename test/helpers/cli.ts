/**
 * The `caisson` command as a subprocess, the way users run it: to completion (`runCaisson`), or in the
 * background for tests that act while it runs (Ctrl-C, SIGKILL, `logs --follow`): its stdout so far,
 * a wait for something to appear in it, and its exit.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

/** bin/caisson.js of this checkout. */
export const CAISSON_BIN = join(import.meta.dirname, '../../bin/caisson.js');

/** A running `caisson` process. */
export interface RunningCaisson {
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Everything it printed on stderr so far. */
  stderr(): string;
  /** Resolves once `ready(stdout)` holds; rejects naming `what` (with the output) after `ms`. */
  waitFor(ready: (stdout: string) => boolean, what: string, ms?: number): Promise<void>;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts `caisson ...args` in `cwd` (with `env` instead of this process's environment, when given). */
export function startCaisson(args: string[], cwd: string, env?: NodeJS.ProcessEnv): RunningCaisson {
  const child = spawn(process.execPath, [CAISSON_BIN, ...args], { cwd, ...(env && { env }) });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const waitFor = (ready: (stdout: string) => boolean, what: string, ms = 60_000) => new Promise<void>((resolve, reject) => {
    if (ready(out)) return resolve();
    const timer = setTimeout(() => { child.stdout.off('data', check); reject(new Error(`${what}; output so far:\n${out}`)); }, ms);
    function check() { if (ready(out)) { clearTimeout(timer); child.stdout.off('data', check); resolve(); } }
    child.stdout.on('data', check);
  });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

/** Runs `caisson ...args` in `cwd` to completion, colour off; its exit code and both streams. */
export function runCaisson(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CAISSON_BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
