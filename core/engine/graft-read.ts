/**
 * How a lazy node's generated subtree gets from the container to the host: the generator writes JSON to
 * the file named by CAISSON_GRAFT_FILE, and when it has exited 0 a second command on the same lease
 * prints that file (at most maxBytes + 1 of it). Only the runtime contract is used (no bind mount), so
 * it works the same on Docker, the fake runtime and any future backend.
 */
import { createHash } from 'node:crypto';
import type { ContainerLease } from '../runtime/index.ts';

/** The env var naming the file a generator writes its subtree to (README "Lazy subtrees"). */
export const GRAFT_FILE_ENV = 'CAISSON_GRAFT_FILE';


/** The exit code of the read command when the generator wrote no file. */
const NO_FILE = 3;

/** The file a generator at `path` writes to on `attempt`: unique per node and attempt, in /tmp. */
export const graftFileOf = (runId: string, path: string, attempt: number): string =>
  `/tmp/caisson-graft-${createHash('sha256').update(`${runId}\n${path}`).digest('hex').slice(0, 16)}-${attempt}.json`;

/** The read command (a shell script: every image that runs a generator script has a shell). */
export const readGraftScript = (file: string, maxBytes: number): string =>
  `if [ ! -f '${file}' ]; then exit ${NO_FILE}; fi\nhead -c ${maxBytes + 1} '${file}'\nstatus=$?\nrm -f '${file}'\nexit $status`;

/** What a generator's subtree is fetched with: the lease it ran on, and where and how much to read. */
export interface GraftReadOptions {
  /** The generator's path and attempt (the read runs as part of that attempt). */
  path: string;
  /** The generator's attempt. */
  attempt: number;
  /** The file $CAISSON_GRAFT_FILE named for this attempt. */
  file: string;
  /** At most this many bytes are accepted (the generator's limits). */
  maxBytes: number;
  /** Aborts the read with the attempt (kill, cancel, reset, maxTime). */
  signal: AbortSignal;
  /** The image's shell for the read script. */
  shell?: string;
  /** The image's working directory. */
  workdir?: string;
}

/**
 * THE seam for where a generated subtree comes from: after the generator exited 0, the IR JSON text it
 * produced (or why there is none). The default, readGraftFile, reads $CAISSON_GRAFT_FILE back on the
 * lease; another kind of generator (a native function returning a builder) can hand its text over
 * another channel with the same type, and everything after it (limits, validation, graft) is shared.
 */
export type GraftSource = (lease: ContainerLease, options: GraftReadOptions) => Promise<{ text: string } | { reason: string }>;

/** Reads what the generator wrote to its file, on the lease it ran on: the text, or why it could not be read. */
export const readGraftFile: GraftSource = async (lease, options) => {
  const chunks: string[] = [];
  let bytes = 0;
  let stderr = '';
  const result = await lease.run({
    path: options.path, attempt: options.attempt, command: readGraftScript(options.file, options.maxBytes), env: {}, signal: options.signal,
    readsFile: options.file,
    ...(options.shell !== undefined ? { shell: options.shell } : {}),
    ...(options.workdir !== undefined ? { workdir: options.workdir } : {}),
    onOutput: (stream, data) => {
      if (stream === 'stderr') { stderr = (stderr + data).slice(-500); return; }
      // The script stops at maxBytes + 1 already; this keeps a runtime that ignores it bounded too.
      if (bytes > options.maxBytes) return;
      bytes += Buffer.byteLength(data);
      chunks.push(data);
    },
  });
  if (result.exitCode === NO_FILE) {
    return { reason: `the generator exited 0 but wrote no subtree: write it as JSON to the file named by $${GRAFT_FILE_ENV} (${options.file})` };
  }
  if (result.exitCode !== 0) {
    return { reason: `could not read the generated subtree from ${options.file}: ${result.message ?? `exit code ${result.exitCode}`}${stderr.trim() ? ` (${stderr.trim()})` : ''}` };
  }
  return { text: chunks.join('') };
};
