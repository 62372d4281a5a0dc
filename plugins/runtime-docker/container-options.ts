/**
 * Turns a ContainerSpec into Engine API create options: limits, labels, mounts, run args, and the driver
 * as the main process (the image's entrypoint is replaced so any image with /bin/sh works the same way).
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { ContainerSpec } from '../../core/index.ts';
import { DRIVER_SCRIPT } from './driver-script.ts';
import { getOwnerLabels, LABEL_GROUP, LABEL_RUN } from './labels.ts';
import { parseRunArgs } from './run-args.ts';

/** Docker names allow [a-zA-Z0-9_.-]; keep them short and recognisable. */
const slug = (s: string, max: number) => s.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, max) || 'x';

/** What the provider knows beyond the spec when it creates a container. */
export interface CreateContext {
  /** The run the container belongs to (its dev.caisson.run label). */
  runId: string;
  /** Labels of the run (from open) to merge under the spec's own. */
  runLabels: Record<string, string>;
  /** Host CPUs: a limit above this is refused by the daemon, and means "no limit" anyway. */
  hostCpus: number;
  /** Resolves the daemon socket path to mount for requiresDocker. */
  socketPath(): string;
}

/** Builds the create options; throws RuntimeOptionError for run args it cannot honour. */
export const buildCreateOptions = (spec: ContainerSpec, ctx: CreateContext): Docker.ContainerCreateOptions => {
  const args = parseRunArgs(spec.dockerRunArgs);
  const binds = [...((args.host.Binds as string[] | undefined) ?? [])];
  for (const m of spec.mounts) binds.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
  if (spec.requiresDocker) {
    const sock = ctx.socketPath();
    binds.push(`${sock}:/var/run/docker.sock`);
  }
  const memory = Math.round(spec.mem * 1024 ** 3);
  const host: Docker.HostConfig = {
    ...(args.host as Docker.HostConfig),
    Binds: binds,
    NanoCpus: Math.round(Math.min(spec.cpu, ctx.hostCpus) * 1e9),
    Memory: memory,
    // Equal to Memory so a memory hog is OOM-killed instead of crawling through swap.
    MemorySwap: memory,
  };
  if (spec.gpu > 0) host.DeviceRequests = [{ Count: spec.gpu, Capabilities: [['gpu']] }];
  return {
    name: `caisson-${slug(ctx.runId, 40)}-${slug(spec.group, 30)}-${randomBytes(3).toString('hex')}`,
    Image: spec.image,
    Entrypoint: ['/bin/sh', '-c', DRIVER_SCRIPT],
    Cmd: [],
    Env: args.env,
    WorkingDir: args.workdir,
    User: args.user,
    Hostname: args.hostname,
    Labels: {
      ...args.labels,
      ...ctx.runLabels,
      ...spec.labels,
      [LABEL_RUN]: spec.labels[LABEL_RUN] ?? ctx.runId,
      [LABEL_GROUP]: spec.group,
      ...getOwnerLabels(),
    },
    // The driver is PID 1 with no SIGTERM handler, so SIGTERM never ends it: `docker stop` and a daemon
    // shutdown would wait their 10 s out for nothing before the SIGKILL that does.
    StopTimeout: 1,
    Tty: false,
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: host,
  };
};
