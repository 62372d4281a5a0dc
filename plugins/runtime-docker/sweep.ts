/**
 * Finding and removing what Caisson left in the daemon. Everything we create carries `dev.caisson.run`
 * plus the owner's pid and host; a container whose owner process on this host is gone is an orphan
 * (its runner was SIGKILLed or crashed), so the next start removes it.
 */
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_RUN } from './container-options.ts';

/** True when a process with this pid exists (EPERM means it exists but is not ours). */
export const isProcessAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const removeQuietly = async (docker: Docker, id: string): Promise<boolean> => {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
    return true;
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    if (status === 404 || status === 409) return false;
    throw e;
  }
};

/** Removes every container labelled with `runId`; returns how many were removed. */
export const removeRunContainers = async (docker: Docker, runId: string): Promise<number> => {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
  const removed = await Promise.all(list.map((c) => removeQuietly(docker, c.Id)));
  return removed.filter(Boolean).length;
};

/** Removes containers whose owner (same host, by pid) is no longer running; returns their ids. */
export const sweepOrphans = async (docker: Docker): Promise<string[]> => {
  const me = hostname();
  const list = await docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } });
  const orphans = list.filter((c) => {
    const labels = c.Labels ?? {};
    // Another host's containers (a shared daemon) are never ours to judge.
    if (labels[LABEL_OWNER_HOST] !== me) return false;
    return !isProcessAlive(Number(labels[LABEL_OWNER_PID]));
  });
  await Promise.all(orphans.map((c) => removeQuietly(docker, c.Id)));
  return orphans.map((c) => c.Id);
};
