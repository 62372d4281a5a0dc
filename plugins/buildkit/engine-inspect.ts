/**
 * `docker image inspect` without starting the docker CLI: one GET /images/{ref}/json on the local
 * daemon's unix socket. It takes a few ms where starting the CLI takes about 25, and `caisson run` pays
 * that before its first container. Used only where the answer is the CLI's: DOCKER_HOST unset or
 * unix://, no docker context chosen (DOCKER_CONTEXT, or the CLI config's currentContext), and no
 * CAISSON_DOCKER_CLI wrapper. Everywhere else, and whenever the socket does not answer plainly, the
 * caller asks the CLI, which then also words any error.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the Engine said: the inspect JSON, or that the image is not there. */
export type EngineInspect = { found: true; json: string } | { found: false };

const DEFAULT_SOCKET = '/var/run/docker.sock';
const TIMEOUT_MS = 10_000;

/** The local socket the docker CLI would talk to, or undefined when it would talk to something else. */
export function localEngineSocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CAISSON_DOCKER_CLI || env.DOCKER_CONTEXT) return undefined;
  const host = env.DOCKER_HOST;
  if (host && !host.startsWith('unix://')) return undefined;
  if (currentContext(env) !== undefined) return undefined;
  return host ? host.slice('unix://'.length) : DEFAULT_SOCKET;
}

/** The CLI config's chosen context, when it names one other than "default". */
function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const file = join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
    const context = (JSON.parse(readFileSync(file, 'utf8')) as { currentContext?: unknown }).currentContext;
    return typeof context === 'string' && context !== '' && context !== 'default' ? context : undefined;
  } catch {
    return undefined; // no config (or one the CLI would also fail on: it then says so itself)
  }
}

/**
 * Inspects `ref` over `socket`; undefined when the answer is anything but 200 or 404 (a malformed
 * reference, a daemon error, no daemon, a timeout), so that the CLI is asked instead.
 */
export function inspectOverSocket(socket: string, ref: string, signal?: AbortSignal): Promise<EngineInspect | undefined> {
  return new Promise((done) => {
    const req = request({ socketPath: socket, path: `/images/${encodeURIComponent(ref)}/json`, method: 'GET', signal, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 200) done({ found: true, json: Buffer.concat(chunks).toString('utf8') });
        else done(res.statusCode === 404 ? { found: false } : undefined);
      });
      res.on('error', () => done(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}
