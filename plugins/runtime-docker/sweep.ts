/**
 * Finding and removing what Caisson left in the daemon. Everything we create carries `dev.caisson.run`
 * plus the owner stamp (labels.ts); a container whose owner is provably gone is an orphan (its runner was
 * SIGKILLed or crashed), so the next start removes it. Provably gone means: the stamp is the container's
 * own, it names this host and this PID namespace, and its pid is dead here or belongs to a process that
 * started at another time. Anything less certain (another namespace, a container started by hand, one
 * made from a `docker commit` of ours, whose image carries our labels) is left alone.
 */
import type Docker from 'dockerode';
import {
  getOwnerLabels, LABEL_MANAGED, LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_OWNER_PIDNS, LABEL_OWNER_START,
  LABEL_RUN, OWNER_STAMP, processStartTime,
} from './labels.ts';

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

/**
 * True when `labels` (the container's own, see ownStamp) name an owner that is gone for certain, as seen
 * from the process whose stamp is `me`.
 */
export const isOwnerGone = (labels: Record<string, string>, me: Record<string, string> = getOwnerLabels()): boolean => {
  if (labels[LABEL_MANAGED] === undefined) return false;
  // Another host's or another PID namespace's pids are not ours to judge.
  if (labels[LABEL_OWNER_HOST] !== me[LABEL_OWNER_HOST] || labels[LABEL_OWNER_PIDNS] !== me[LABEL_OWNER_PIDNS]) return false;
  const pid = Number(labels[LABEL_OWNER_PID]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!isProcessAlive(pid)) return true;
  const recorded = labels[LABEL_OWNER_START];
  const now = processStartTime(pid);
  // The pid is alive: gone only if it is a different process now, which only the start time can tell.
  return Boolean(recorded) && now !== undefined && now !== recorded;
};

/**
 * The container's labels without an owner stamp that came from its image. The stamp is written whole
 * at creation, so a stamp equal to the image's throughout is the image's (a commit of one of our
 * containers), while our own containers made from such an image carry a stamp of their own.
 */
export const ownStamp = (labels: Record<string, string>, imageLabels: Record<string, string> = {}): Record<string, string> => {
  const fromImage = OWNER_STAMP.every((k) => labels[k] === imageLabels[k]);
  if (!fromImage) return labels;
  const own = { ...labels };
  for (const k of OWNER_STAMP) delete own[k];
  return own;
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

/** Removes the containers whose owner is provably gone (see the module comment); returns their ids. */
export const sweepOrphans = async (docker: Docker): Promise<string[]> => {
  const me = getOwnerLabels();
  const list = await docker.listContainers({ all: true, filters: { label: [LABEL_MANAGED] } });
  const imageLabels = new Map<string, Promise<Record<string, string>>>();
  const labelsOf = (imageId: string) => {
    let found = imageLabels.get(imageId);
    if (!found) {
      // An image removed since has no labels to pass on.
      found = docker.getImage(imageId).inspect().then((i) => i.Config?.Labels ?? {}, () => ({}));
      imageLabels.set(imageId, found);
    }
    return found;
  };
  const judged = await Promise.all(list.map(async (c) => {
    const candidate = isOwnerGone(c.Labels ?? {}, me);
    return candidate && isOwnerGone(ownStamp(c.Labels ?? {}, await labelsOf(c.ImageID)), me) ? c.Id : undefined;
  }));
  const orphans = judged.filter((id): id is string => id !== undefined);
  await Promise.all(orphans.map((id) => removeQuietly(docker, id)));
  return orphans;
};

/**
 * Removes the networks (the run networks of pipelines with services) whose owner is provably gone, by the
 * same stamp as containers; a network still in use (a live container on it) stays. Returns their ids.
 */
export const sweepOrphanNetworks = async (docker: Docker): Promise<string[]> => {
  const me = getOwnerLabels();
  const list = await docker.listNetworks({ filters: { label: [LABEL_MANAGED] } });
  const orphans = list.filter((n) => isOwnerGone(n.Labels ?? {}, me)).map((n) => n.Id);
  const removed = await Promise.all(orphans.map(async (id) => {
    try { await docker.getNetwork(id).remove(); return id; } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 404 || status === 403 || status === 409) return undefined;
      throw e;
    }
  }));
  return removed.filter((id): id is string => id !== undefined);
};
