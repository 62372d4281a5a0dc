/**
 * Finding and removing the Swarm services Caisson left behind, by the same labels and owner stamp as
 * containers (sweep.ts): a service whose owner is provably gone (its runner was SIGKILLed) is removed at
 * the next start, and a run's close removes every service with its run label.
 */
import type Docker from 'dockerode';
import { getOwnerLabels, LABEL_MANAGED, LABEL_RUN } from './labels.ts';
import { isOwnerGone } from './sweep.ts';
import { removeService } from './swarm-service.ts';

interface ServiceInfo { ID: string; Spec?: { Labels?: Record<string, string> } }

/** Removes every service labelled with `runId`; returns how many there were. */
export const removeRunServices = async (docker: Docker, runId: string): Promise<number> => {
  const list = (await docker.listServices({ filters: { label: [`${LABEL_RUN}=${runId}`] } })) as ServiceInfo[];
  await Promise.all(list.map((s) => removeService(docker, s.ID)));
  return list.length;
};

/** Removes the services whose owner is provably gone; returns their ids. */
export const sweepOrphanServices = async (docker: Docker): Promise<string[]> => {
  const me = getOwnerLabels();
  const list = (await docker.listServices({ filters: { label: [LABEL_MANAGED] } })) as ServiceInfo[];
  const orphans = list.filter((s) => isOwnerGone(s.Spec?.Labels ?? {}, me)).map((s) => s.ID);
  await Promise.all(orphans.map((id) => removeService(docker, id)));
  return orphans;
};
