/**
 * Where the Docker daemon is and how to reach it: DOCKER_HOST (as the docker CLI reads it) or the default
 * socket. Also the socket path to mount into containers that need Docker themselves.
 */
import type Docker from 'dockerode';
// dockerode loads at the first client, its unused BuildKit session and SSH transport only when called.
import { loadDockerode } from './defer-dockerode-extras.ts';
import { RuntimeOptionError, RuntimeUnavailableError } from '../../core/index.ts';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Options for reaching the daemon; empty = DOCKER_HOST, else the default socket. */
export interface DockerConnectionOptions {
  /** A unix socket path to use instead of DOCKER_HOST / the default socket. */
  socketPath?: string;
  /** A ready-made client (tests, custom TLS); overrides socketPath. */
  docker?: Docker;
}

/** Human description of where we talk to the daemon, for error messages. */
export const describeDaemon = (opts: DockerConnectionOptions): string => {
  if (opts.socketPath) return `socket ${opts.socketPath}`;
  const host = process.env.DOCKER_HOST;
  return host ? `DOCKER_HOST=${host}` : `socket ${DEFAULT_SOCKET} (DOCKER_HOST is not set)`;
};

/** Creates the dockerode client; dockerode itself honours DOCKER_HOST/DOCKER_TLS_VERIFY/DOCKER_CERT_PATH. */
export const createDockerClient = (opts: DockerConnectionOptions): Docker =>
  opts.docker ?? (opts.socketPath ? new (loadDockerode())({ socketPath: opts.socketPath }) : new (loadDockerode())());

/** Pings the daemon; throws RuntimeUnavailableError naming where we looked and how to fix it. */
export const pingDaemon = async (docker: Docker, opts: DockerConnectionOptions, timeoutMs = 10_000): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); }),
    ]);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new RuntimeUnavailableError(
      `Docker daemon does not answer at ${describeDaemon(opts)}: start the Docker engine (in a checkout of Caisson, \`bash scripts/setup-docker.sh\` installs and starts one), or point DOCKER_HOST at a running daemon (${why})`,
      { endpoint: describeDaemon(opts), cause: e },
    );
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The host path of the daemon's unix socket, to bind-mount for `requiresDocker` nodes. A TCP DOCKER_HOST
 * cannot be mounted, so that is a clear error rather than a container that silently lacks Docker.
 */
export const hostSocketPath = (opts: DockerConnectionOptions, group: string): string => {
  if (opts.socketPath) return opts.socketPath;
  const host = process.env.DOCKER_HOST;
  if (!host) return DEFAULT_SOCKET;
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new RuntimeOptionError(
    `group ${group}: requiresDocker needs a unix socket to mount, but DOCKER_HOST=${host}; use a unix:// DOCKER_HOST or unset it`,
    { path: group, flag: 'requiresDocker' },
  );
};

/** Socket-level failures: nothing listens at the daemon's address any more (or the connection broke). */
const GONE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTCONN', 'ECONNABORTED']);

/**
 * True when `e` says the daemon could not be reached at all (as opposed to an answer it gave, like a
 * 404 or a 409): it stopped, restarted or crashed. dockerode passes the socket error through as is.
 */
export const isDaemonGone = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null || (e as { statusCode?: number }).statusCode !== undefined) return false;
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined && GONE_CODES.has(code)) || /socket hang up/i.test((e as Error).message ?? '');
};

/** The one message for a daemon that went away after the run had reached it. */
export const daemonGoneMessage = (opts: DockerConnectionOptions, what: string, e: unknown): RuntimeUnavailableError =>
  new RuntimeUnavailableError(
    `the Docker daemon (${describeDaemon(opts)}) went away ${what} (${e instanceof Error ? e.message : String(e)}); its containers are removed by the next start once it is back`,
    { endpoint: describeDaemon(opts), cause: e },
  );

/**
 * Whether the daemon is on its way out: pings it for up to `withinMs` and resolves to the socket error
 * once it stops answering, or undefined if it kept answering. A daemon that shuts down stops its
 * containers first and answers for a moment after (about a second, measured), so a container that
 * stopped under a command is only explained once this has had its chance to see the daemon go.
 */
export const daemonGoingAway = async (docker: Docker, withinMs = 5_000, everyMs = 100): Promise<unknown> => {
  const end = Date.now() + withinMs;
  for (;;) {
    const error = await docker.ping().then(() => undefined, (e: unknown) => e);
    if (error !== undefined && isDaemonGone(error)) return error;
    if (Date.now() >= end) return undefined;
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

/** What the Engine API said about a failed call (its JSON `message`), else the error's own message. */
export const engineMessage = (e: unknown): string =>
  (e as { json?: { message?: string } }).json?.message ?? (e instanceof Error ? e.message : String(e));
