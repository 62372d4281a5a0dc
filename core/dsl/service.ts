/**
 * `.service(name, options)` as users write it: the options, their checks (one DslError naming the
 * service's path and the field), and the wait shorthands turned into the IR's kind-tagged waits. The image
 * stays as given until compile(), which puts it in the images table (core/dsl/compile.ts).
 */
import { DslError } from '../errors.ts';
import type { Command } from '../ir/codecs.ts';
import { Port, ServiceSpec, Wait as WaitCodec, type Wait } from '../ir/service-codecs.ts';
import { renderValue } from '../ir/validation-errors.ts';
import { check, Env, PositiveInt, Seconds } from '../options/rules.ts';
import { readImage } from '../options/image-option.ts';
import { normalizeCommand } from './defs.ts';
import type { Image } from './image.ts';

/**
 * When a service counts as ready. Forms: `{ port: 5432 }`; `{ log: /ready/, times? }` (its output matched
 * `times` times, default 1); `{ http: '/health', port?, status? }` (GET answers `status`, default 200; port
 * defaults to the service's first port); `{ command: 'pg_isready' }` (exits 0 inside the service);
 * `{ healthcheck: true }` (the image's HEALTHCHECK says healthy); `{ all: [wait, …] }` (every one).
 */
export type ServiceWait =
  | { port: number }
  | { log: RegExp | string; times?: number }
  | { http: string; port?: number; status?: number }
  | { command: string | string[] }
  | { healthcheck: true }
  | { all: ServiceWait[] };

/** Options of `.service(name, options)`. */
export interface ServiceOptions {
  /** The service's image: a Docker reference or an `image()` value. Default: the group's image. */
  image?: string | Image;
  /** What to run; default: the image's own entrypoint and command. */
  command?: string | string[];
  /** Environment variables (plain strings). */
  env?: Record<string, string>;
  /** Ports it listens on, on the run's network (never published on the host); the first is a port or http wait's default. */
  ports?: number | number[];
  /** When it is ready; default: `{ port }` on every port in `ports`, or as soon as it started when there are none. */
  wait?: ServiceWait;
  /** How long it may take to become ready: seconds or a duration ("30s"). Default 60 s. */
  startupTimeout?: number | string;
}

/** @internal A service as a group definition keeps it: checked, image not yet in a table. */
export interface ServiceDef {
  /** Its name: siblings reach it by this host name. */
  readonly name: string;
  /** The image as given, undefined = the group's. */
  readonly image?: Image;
  /** The IR fields other than name and image. */
  readonly spec: Omit<ServiceSpec, 'name' | 'image'>;
}

/** The default startupTimeout, seconds. */
export const DEFAULT_STARTUP_TIMEOUT = 60;

const KNOWN = new Set(['image', 'command', 'env', 'ports', 'wait', 'startupTimeout']);
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** @internal Checks `.service()` options found at `at` (the service's path). */
export function serviceDef(name: string, options: unknown, at: string): ServiceDef {
  const fail = (option: string, message: string): never => { throw new DslError(`${at}: ${option}: ${message}`, { path: at, option }); };
  if (options !== undefined && !isRecord(options)) fail('options', `expected an object of service options, got ${renderValue(options)}`);
  const o = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) fail(key, `unknown service option (known: ${[...KNOWN].join(', ')})`);
  let image: Image | undefined;
  if (o.image !== undefined) {
    const read = readImage(o.image);
    image = read.ok ? read.value : fail('image', read.message);
  }
  const command: Command | undefined = o.command === undefined ? undefined : normalizeCommand(o.command, at);
  const env = check(Env, o.env ?? {});
  if (!env.ok) fail('env', env.message);
  const portList = o.ports === undefined ? [] : Array.isArray(o.ports) ? o.ports : [o.ports];
  for (const p of portList) if (!Port.is(p)) fail('ports', `expected a TCP port (a whole number from 1 to 65535), got ${renderValue(p)}`);
  const ports = portList as number[];
  const timeout = check(Seconds, o.startupTimeout ?? DEFAULT_STARTUP_TIMEOUT);
  if (!timeout.ok) fail('startupTimeout', timeout.message);
  const wait = o.wait === undefined ? defaultWait(ports) : readWait(o.wait, ports, (m) => fail('wait', m));
  return {
    name, ...(image && { image }),
    spec: {
      env: env.ok ? env.value : {}, ports, startupTimeout: timeout.ok ? timeout.value : DEFAULT_STARTUP_TIMEOUT,
      ...(command !== undefined && { command }), ...(wait && { wait }),
    },
  };
}

/** Without a wait: every declared port listens; with no ports, ready once started. */
function defaultWait(ports: number[]): Wait | undefined {
  if (ports.length === 0) return undefined;
  if (ports.length === 1) return { kind: 'port', port: ports[0]! };
  return { kind: 'all', waits: ports.map((port) => ({ kind: 'port', port })) };
}

/** A user's wait → the IR's tagged wait; `fail` throws. */
function readWait(u: unknown, ports: number[], fail: (message: string) => never): Wait {
  if (!isRecord(u)) return fail(`expected a wait such as { port: 8080 }, { http: "/" }, { log: /ready/ }, { command: "…" }, { healthcheck: true } or { all: [...] }, got ${renderValue(u)}`);
  const firstPort = (): number => ports[0] ?? fail('an http wait needs a port: give it one ({ http: "/", port: 8080 }) or declare ports');
  let wait: unknown;
  if ('all' in u) {
    if (!Array.isArray(u.all) || u.all.length === 0) fail(`all: expected a non-empty list of waits, got ${renderValue(u.all)}`);
    wait = { kind: 'all', waits: (u.all as unknown[]).map((w) => readWait(w, ports, fail)) };
  } else if ('port' in u && !('http' in u)) wait = { kind: 'port', port: u.port };
  else if ('http' in u) {
    const path = u.http;
    if (typeof path !== 'string' || !path.startsWith('/')) fail(`http: expected a path starting with "/", got ${renderValue(path)}`);
    wait = { kind: 'http', path, port: u.port ?? firstPort(), status: u.status ?? 200 };
  } else if ('log' in u) {
    const regex = u.log instanceof RegExp ? u.log.source : u.log;
    if (u.times !== undefined && !PositiveInt.is(u.times)) fail(`times: expected a whole number >= 1, got ${renderValue(u.times)}`);
    wait = { kind: 'log', regex, times: u.times ?? 1 };
  } else if ('command' in u) wait = { kind: 'command', command: normalizeCommand(u.command, 'wait') };
  else if (u.healthcheck === true) wait = { kind: 'healthcheck' };
  else fail(`expected one of port, http, log, command, healthcheck or all, got ${renderValue(u)}`);
  const checked = check(WaitCodec, wait);
  return checked.ok ? checked.value : fail(`${checked.field ? `${checked.field.split('.').pop()}: ` : ''}${checked.message}`);
}
