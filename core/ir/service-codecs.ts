/**
 * Services in the IR: a Serial's or Parallel's `services` list. A service is a long-running container
 * (a database, a web server) its group's Execs reach by name on the run's network. It starts before the
 * group's first Exec runs and stops when the group ends. Its `wait` says when it counts as ready; every
 * wait is tagged on `kind` so the decoder names only the fields of the wait the document claims to be.
 */
import * as t from 'io-ts';
import { Env, NodeName, PositiveInt, rule, Seconds, Text } from '../options/rules.ts';
import { taggedUnion } from './tagged-union.ts';

/** A TCP port: a whole number from 1 to 65535. */
export const Port = rule('Port', 'expected a TCP port (a whole number from 1 to 65535)', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= 65535);

/** An HTTP status code (100-599). */
export const HttpStatus = rule('HttpStatus', 'expected an HTTP status code (100-599)', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 100 && u <= 599);

/** A regular expression's source that compiles. */
export const RegexSource = rule('RegexSource', 'expected a regular expression that compiles', (u): u is string => {
  if (typeof u !== 'string' || u === '') return false;
  try { new RegExp(u); return true; } catch { return false; }
});

/** Ready once something in the service's network namespace listens on `port` (TCP). */
export const PortWait = t.exact(t.type({ kind: t.literal('port'), port: Port }), 'PortWait');
/** Ready once the service's output (stdout or stderr) has matched `regex` `times` times. */
export const LogWait = t.exact(t.type({ kind: t.literal('log'), regex: RegexSource, times: PositiveInt }), 'LogWait');
/** Ready once GET http://127.0.0.1:`port``path`, from inside the service's network namespace, answers `status`. */
export const HttpWait = t.exact(t.type({ kind: t.literal('http'), port: Port, path: Text, status: HttpStatus }), 'HttpWait');
/** Ready once `command` (run inside the service's container by its shell) exits 0. */
export const CommandWait = t.exact(t.type({ kind: t.literal('command'), command: t.union([Text, t.array(Text)]) }), 'CommandWait');
/** Ready once the container's own HEALTHCHECK (its image's) reports healthy. */
export const HealthcheckWait = t.exact(t.type({ kind: t.literal('healthcheck') }), 'HealthcheckWait');

/** Every kind of wait; `all` holds a list of them. */
export type Wait =
  | t.TypeOf<typeof PortWait> | t.TypeOf<typeof LogWait> | t.TypeOf<typeof HttpWait>
  | t.TypeOf<typeof CommandWait> | t.TypeOf<typeof HealthcheckWait> | AllWait;
/** Ready once every wait in `waits` is. */
export interface AllWait { kind: 'all'; waits: Wait[] }

/** Codec of Wait, tagged on `kind`. */
export const Wait: t.Type<Wait, Wait, unknown> = t.recursion('Wait', () => taggedUnion('Wait', {
  port: PortWait, log: LogWait, http: HttpWait, command: CommandWait, healthcheck: HealthcheckWait,
  all: t.exact(t.type({ kind: t.literal('all'), waits: t.array(Wait) }), 'AllWait'),
}));

/**
 * One service of a group. `image` names an entry of the pipeline's images table (the group's effective
 * image when none was given); `command` unset runs the image's own entrypoint and command; `ports` are the
 * ports it listens on, for waits and documentation (never published on the host); `startupTimeout`
 * bounds how long it may take to become ready (seconds).
 */
export const ServiceSpec = t.exact(t.intersection([
  t.type({ name: NodeName, image: Text, env: Env, ports: t.array(Port), startupTimeout: Seconds }),
  t.partial({ command: t.union([Text, t.array(Text)]), wait: Wait }),
]), 'ServiceSpec');
export type ServiceSpec = t.TypeOf<typeof ServiceSpec>;

/** A group's services, in the order they were declared (they start in that order, stop in reverse). */
export const ServiceList = t.array(ServiceSpec, 'ServiceList');
