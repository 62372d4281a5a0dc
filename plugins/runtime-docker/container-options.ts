/**
 * Turns a ContainerSpec into Engine API create options: limits, labels, mounts, run args, and the driver
 * as the main process (the image's entrypoint is replaced so any image with /bin/sh works the same way).
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { ContainerSpec } from '../../core/index.ts';
import { driverScript } from './driver-script.ts';
import { getOwnerLabels, LABEL_GROUP, LABEL_RUN } from './labels.ts';
import { mapRunArgs } from './run-args.ts';

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
  /** Where relative host paths in run args start (the pipeline's folder); default the current directory. */
  baseDir?: string;
}

/** What the create call needs: the body, the query's platform, and what the driver reads per command. */
export interface CreatePlan {
  /** The create body (name included; sent as the query's name). */
  options: Docker.ContainerCreateOptions;
  /** --platform, for the create query. */
  platform?: string;
  /** --env-file paths, read when each command starts (their values never enter the container's config). */
  envFiles: string[];
  /** Names the container's own env sets (-e), which win over env files as in docker. */
  containerEnvKeys: ReadonlySet<string>;
}

/** Builds the create options; throws RuntimeOptionError for run args it cannot honour. */
export const buildCreateOptions = (spec: ContainerSpec, ctx: CreateContext): CreatePlan => {
  const docker = spec.backend.docker;
  const args = mapRunArgs(docker?.runArgs ?? [], { baseDir: ctx.baseDir });
  const binds = [...((args.host.Binds as string[] | undefined) ?? [])];
  for (const m of spec.mounts) binds.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
  if (docker?.requiresDocker) {
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
    // The run's network when its pipeline has services: they are reached by name there.
    ...(spec.network !== undefined && { NetworkMode: spec.network }),
  };
  // --gpus says exactly which GPUs; without it, the gpu option asks for a count.
  if (spec.gpu > 0 && !host.DeviceRequests) host.DeviceRequests = [{ Count: spec.gpu, Capabilities: [['gpu']] }];
  const driver = ['/bin/sh', '-c', driverScript(spec.files)];
  const env = (args.config.Env as string[] | undefined) ?? [];
  const options: Docker.ContainerCreateOptions = {
    ...(args.config as Docker.ContainerCreateOptions),
    name: `caisson-${slug(ctx.runId, 40)}-${slug(spec.group, 30)}-${randomBytes(3).toString('hex')}`,
    Image: spec.image,
    // --entrypoint wraps the driver the way an entrypoint wraps a command: it is run with the driver as its arguments.
    Entrypoint: args.entrypoint?.length ? args.entrypoint : driver,
    Cmd: args.entrypoint?.length ? driver : [],
    Env: env,
    Labels: {
      ...(args.config.Labels as Record<string, string> | undefined),
      ...ctx.runLabels,
      ...spec.labels,
      [LABEL_RUN]: spec.labels[LABEL_RUN] ?? ctx.runId,
      [LABEL_GROUP]: spec.group,
      ...getOwnerLabels(),
    },
    // The driver is PID 1 with no SIGTERM handler, so SIGTERM never ends it: `docker stop` and a daemon
    // shutdown would wait their 10 s out for nothing before the SIGKILL that does (--stop-timeout wins).
    StopTimeout: (args.config.StopTimeout as number | undefined) ?? 1,
    Tty: false,
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: host,
  };
  return {
    options,
    ...(args.platform !== undefined && { platform: args.platform }),
    envFiles: args.envFiles,
    containerEnvKeys: new Set(env.map((e) => e.split('=')[0]!)),
  };
};
