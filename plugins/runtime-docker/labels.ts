/**
 * The labels Caisson puts on what it creates, and the owner stamp: who created a container, precisely
 * enough that a later sweep can prove that owner gone. A pid means nothing without its host and its PID
 * namespace (two containers of one pod share a host name and a dockerd, not their pids), and a dead
 * pid can be handed to a new process, hence the owner's start time.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Label holding the run id on every container Caisson creates; close() and `docker ps --filter` use it. */
export const LABEL_RUN = 'dev.caisson.run';
/** Label holding the pid of the process that created the container; the orphan sweep checks it is alive. */
export const LABEL_OWNER_PID = 'dev.caisson.owner-pid';
/** Label holding the host name of that process (a pid is only meaningful on its own host). */
export const LABEL_OWNER_HOST = 'dev.caisson.owner-host';
/** Label holding the owner's PID namespace (the inode of /proc/self/ns/pid; "" where there is no /proc). */
export const LABEL_OWNER_PIDNS = 'dev.caisson.owner-pidns';
/** Label holding the owner's start time (field 22 of /proc/<pid>/stat, clock ticks since boot; "" without /proc). */
export const LABEL_OWNER_START = 'dev.caisson.owner-start';
/** Label set to "1" on containers Caisson manages, to tell them apart from anything else on the daemon. */
export const LABEL_MANAGED = 'dev.caisson.managed';
/** Label holding the container's reuse group ("global" or the path of the node that set reuse "new"). */
export const LABEL_GROUP = 'dev.caisson.group';

/** The labels written together at creation that say who owns a container. */
export const OWNER_STAMP = [LABEL_MANAGED, LABEL_OWNER_PID, LABEL_OWNER_HOST, LABEL_OWNER_PIDNS, LABEL_OWNER_START] as const;

/** The start time of process `pid` as /proc shows it in this PID namespace; undefined when it cannot be read. */
export const processStartTime = (pid: number | 'self'): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

/** This process's PID namespace id ("4026531836"); "" where /proc has none (not Linux). */
export const pidNamespace = (): string => {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '';
  } catch {
    return '';
  }
};

let mine: Record<string, string> | undefined;

/** Labels naming this process as the owner, so a later sweep can tell when the owner is gone. */
export const getOwnerLabels = (): Record<string, string> => ({
  ...(mine ??= {
    [LABEL_OWNER_PID]: String(process.pid),
    [LABEL_OWNER_HOST]: hostname(),
    [LABEL_OWNER_PIDNS]: pidNamespace(),
    [LABEL_OWNER_START]: processStartTime('self') ?? '',
    [LABEL_MANAGED]: '1',
  }),
});
