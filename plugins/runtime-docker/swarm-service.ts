/**
 * One Swarm service per lease: its spec (a replicated job of one task that Swarm never restarts), the
 * wait for its task to call back or fail, how it ended, and its removal. Swarm has no cluster-wide event
 * for a task's end, so the task list is polled, from 100 ms backing off to 1 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { ImageNotFoundError, RuntimeOptionError, RuntimeUnavailableError, type ContainerSpec } from '../../core/index.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import type { TaskLink } from './swarm-channel.ts';

const log = debugLog('swarm');

/** Task states after which the task will never run (or run again). */
const TERMINAL = new Set(['complete', 'failed', 'shutdown', 'rejected', 'orphaned', 'remove']);

/** What a service is made of, beyond the ContainerSpec. */
export interface ServicePlan {
  /** The service name (unique per lease). */
  name: string;
  /** The task image by digest. */
  image: string;
  /** The task's command (the connector). */
  command: string[];
  /** Env entries the connector needs ("K=V"). */
  env?: string[];
  /** Every label, on the service and its task's container. */
  labels: Record<string, string>;
  /** Placement constraints ("node.role==worker"). */
  constraints: string[];
  /**
   * Reserve cpu and mem as well as limiting them (SwarmRuntimeOptions.reserve), capped at the largest
   * node's size (a reservation above it could never be placed); unset = limits only.
   */
  reserveUpTo?: { nanoCpus: number; memoryBytes: number };
}

/** The body of POST /services/create for a lease. */
export const serviceSpec = (spec: ContainerSpec, plan: ServicePlan): Record<string, unknown> => {
  const nanoCpus = Math.round(spec.cpu * 1e9);
  const memoryBytes = Math.round(spec.mem * 2 ** 30);
  return {
    Name: plan.name,
    Labels: plan.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: plan.image, Command: plan.command, Labels: plan.labels, StopGracePeriod: 1_000_000_000,
        // Swarm fills these templates in on the node: a command can tell where it runs.
        Env: ['CAISSON_SWARM_NODE={{.Node.Hostname}}', 'CAISSON_SWARM_NODE_ID={{.Node.ID}}', ...(plan.env ?? [])],
      },
      Resources: {
        Limits: { NanoCPUs: nanoCpus, MemoryBytes: memoryBytes },
        // Reserved only when asked: an idle reused container keeps its reservation for as long as the
        // engine keeps it for the next node, so on a small cluster a run could wait for its own idle
        // tasks. Never more than a node has, or the task would wait for a machine that does not exist.
        ...(plan.reserveUpTo && {
          Reservations: { NanoCPUs: Math.min(nanoCpus, plan.reserveUpTo.nanoCpus), MemoryBytes: Math.min(memoryBytes, plan.reserveUpTo.memoryBytes) },
        }),
      },
      // Never re-run by Swarm: a failed command is the engine's to retry (or not).
      RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
      Placement: { Constraints: plan.constraints },
    },
    Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
  };
};

interface TaskInfo { Status?: { State?: string; Err?: string; Message?: string; ContainerStatus?: { ExitCode?: number } }; NodeID?: string }

/** The service's task, once Swarm made one. */
export const taskOf = async (docker: Docker, serviceId: string): Promise<TaskInfo | undefined> => {
  const tasks = (await docker.listTasks({ filters: { service: [serviceId] } })) as TaskInfo[];
  return tasks[0];
};

/** "failed: task: non-zero exit (70)", for messages. */
export const describeTask = (task: TaskInfo | undefined): string => {
  if (!task?.Status) return 'no task';
  const { State, Err, Message, ContainerStatus } = task.Status;
  const exit = ContainerStatus?.ExitCode !== undefined && ContainerStatus.ExitCode !== 0 ? `, exit code ${ContainerStatus.ExitCode}` : '';
  return `${State}${Err ? `: ${Err}` : Message ? ` (${Message})` : ''}${exit}`;
};

/**
 * How long a task may stay in the states a healthy one passes in well under a second: assigned to a
 * node, accepted, ready, starting its container, and running before its connector has called back.
 * Engine 20.10 now and then leaves one container of many started at once `starting` for minutes (seen
 * here: 1 of 50, for 50 s to 2 min, on a one-node swarm). Not counted: `pending` (waiting for a node
 * with room) and `preparing` (pulling the image), which may rightly take long.
 */
export const STUCK_STARTING_MS = 30_000;

/** The task states that take a healthy task a moment; see STUCK_STARTING_MS. */
const BRIEF_STATES = new Set(['new', 'assigned', 'accepted', 'ready', 'starting', 'running']);

/** What a task stuck in `state` is waiting for, for its message. */
const stuckAt = (state: string): string => state === 'running'
  ? 'is running but its connector has not called back; every node must reach this machine (CAISSON_SWARM_CALLBACK)'
  : state === 'starting' ? 'has been starting (its node\'s daemon did not start the container)' : `has stayed ${state}`;

/**
 * Waits until the task has called back on every connection, or has ended without doing so (an error
 * naming the image and what Swarm said), or `signal` aborts. A task stuck for `stuckMs` in the brief
 * states (see STUCK_STARTING_MS) is an infra failure (RuntimeUnavailableError), so the engine retries the
 * node with a new task; the stuck one ends by itself when it finally calls back, since its token is no
 * longer known.
 */
export const waitForTask = async (
  docker: Docker, serviceId: string, link: TaskLink, spec: ContainerSpec, signal: AbortSignal, stuckMs = STUCK_STARTING_MS,
): Promise<void> => {
  let ready = false;
  const connected = link.whenReady().then(() => { ready = true; });
  let delay = 100;
  let lastState = '';
  let startingSince: number | undefined;
  while (!ready) {
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
    const task = await taskOf(docker, serviceId);
    const state = task?.Status?.State ?? 'new';
    if (state !== lastState) { log('task state', { service: serviceId.slice(0, 12), state, message: task?.Status?.Message, err: task?.Status?.Err }); lastState = state; }
    if (ready) break;
    startingSince = BRIEF_STATES.has(state) ? startingSince ?? Date.now() : undefined;
    if (startingSince !== undefined && Date.now() - startingSince > stuckMs) {
      throw new RuntimeUnavailableError(`group ${spec.group}: the Swarm task for image "${spec.image}" ${stuckAt(state)} for ${Math.round(stuckMs / 1000)} s; a new task is tried`);
    }
    // No node matches the placement constraints: waiting would be forever on this cluster.
    if (state === 'pending' && /constraints not satisfied/.test(`${task?.Status?.Err ?? ''} ${task?.Status?.Message ?? ''}`)) {
      throw new RuntimeOptionError(`group ${spec.group}: no Swarm node satisfies the placement constraints (${describeTask(task)}); check the runtime's constraints`, { path: spec.group, flag: 'constraints' });
    }
    if (TERMINAL.has(state)) {
      const why = describeTask(task);
      if (/no such image|manifest unknown|pull access denied|not found/i.test(task?.Status?.Err ?? '')) throw new ImageNotFoundError(spec.image, `a Swarm node could not pull it: ${why}`);
      throw new RuntimeUnavailableError(`group ${spec.group}: the Swarm task for image "${spec.image}" ended before it called back (${why}); `
        + 'every node must reach this machine: set CAISSON_SWARM_CALLBACK to an address of it that the nodes can reach');
    }
    await Promise.race([connected, sleep(delay)]);
    delay = Math.min(delay * 2, 1000);
  }
};

/** Removes a service; one that is already gone counts as removed. */
export const removeService = async (docker: Docker, id: string): Promise<void> => {
  try {
    await docker.getService(id).remove();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
};
