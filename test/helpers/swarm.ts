/**
 * Shared helpers for integration tests on the main daemon as a one-machine Swarm with the local registry
 * (scripts/setup-swarm.sh starts both; npm test runs it). With CI set, a missing swarm or registry fails
 * the suite instead of skipping it.
 */
import { docker } from './docker.ts';

/** The registry the Swarm tests push to. */
export const REGISTRY = process.env.CAISSON_REGISTRY || '127.0.0.1:5000';

let ready: Promise<string | undefined> | undefined;

const whyNotReady = async (): Promise<string | undefined> => {
  try {
    const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) return `the daemon is not a Swarm manager (${info.Swarm?.LocalNodeState || 'inactive'})`;
  } catch (e) {
    return `Docker daemon unreachable (${(e as Error).message})`;
  }
  try {
    const r = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(3000) });
    if (!r.ok) return `the registry ${REGISTRY} answered ${r.status}`;
  } catch (e) {
    return `the registry ${REGISTRY} does not answer (${(e as Error).message})`;
  }
  return undefined;
};

/** Call in a `before` hook: skips (or with CI set, fails) unless the daemon is a Swarm manager and the registry answers. */
export const requireSwarm = async (ctx: Mocha.Context): Promise<void> => {
  const why = await (ready ??= whyNotReady());
  if (why === undefined) return;
  const msg = `${why}; run \`bash scripts/setup-swarm.sh\``;
  if (process.env.CI) throw new Error(`${msg}. CI is set, so the Swarm tests must not be skipped.`);
  console.warn(`  skipping: ${msg}`);
  ctx.skip();
};

/** Ids of the services (of any state) carrying the run's label. */
export const servicesOfRun = async (runId: string): Promise<string[]> =>
  ((await docker.listServices({ filters: { label: [`dev.caisson.run=${runId}`] } })) as Array<{ ID: string }>).map((s) => s.ID);
