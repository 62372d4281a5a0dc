/**
 * Maps the `docker run` style arguments a node may carry (`dockerRunArgs`) onto Engine API create
 * options. Only flags with a faithful API equivalent are accepted; anything else is rejected with one
 * error naming the argument and listing what is supported, rather than silently ignored.
 */
import { RuntimeOptionError } from '../../core/index.ts';

/** The part of a container's create options that run args may set. */
export interface RunArgsOptions {
  /** `-e` values ("K=V"). */
  env: string[];
  /** `-l` labels. */
  labels: Record<string, string>;
  /** `-w`. */
  workdir?: string;
  /** `-u`. */
  user?: string;
  /** `-h`. */
  hostname?: string;
  /** HostConfig fields set by the other flags (Binds, CapAdd, ShmSize…). */
  host: Record<string, unknown>;
}

/** Writes one flag's value into the options. */
type Apply = (o: RunArgsOptions, value: string, flag: string) => void;
/** One supported flag: its spellings, whether it takes a value, and what it sets. */
interface Flag { names: string[]; takesValue: boolean; apply: Apply }

const push = (key: string): Apply => (o, v) => { ((o.host[key] as string[] | undefined) ??= []).push(v); };
const set = (key: string, parse: (v: string, flag: string) => unknown = (v) => v): Apply => (o, v, f) => { o.host[key] = parse(v, f); };

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const parseSize = (v: string, flag: string): number => {
  const m = /^(\d+(?:\.\d+)?)([bkmg]?)b?$/i.exec(v.trim());
  if (!m) throw new RuntimeOptionError(`dockerRunArgs: ${flag} ${v}: expected a size like 64m or 1g`);
  return Math.round(Number(m[1]) * (SIZE_UNITS[m[2]!.toLowerCase()] ?? 1));
};
const parseInteger = (v: string, flag: string): number => {
  if (!/^-?\d+$/.test(v)) throw new RuntimeOptionError(`dockerRunArgs: ${flag} ${v}: expected a whole number`);
  return Number(v);
};
const splitOnce = (v: string, sep: string): [string, string] => {
  const i = v.indexOf(sep);
  return i < 0 ? [v, ''] : [v.slice(0, i), v.slice(i + 1)];
};

const FLAGS: Flag[] = [
  { names: ['-e', '--env'], takesValue: true, apply: (o, v) => o.env.push(v) },
  { names: ['-l', '--label'], takesValue: true, apply: (o, v) => { const [k, val] = splitOnce(v, '='); o.labels[k] = val; } },
  { names: ['-v', '--volume'], takesValue: true, apply: push('Binds') },
  { names: ['-w', '--workdir'], takesValue: true, apply: (o, v) => { o.workdir = v; } },
  { names: ['-u', '--user'], takesValue: true, apply: (o, v) => { o.user = v; } },
  { names: ['-h', '--hostname'], takesValue: true, apply: (o, v) => { o.hostname = v; } },
  { names: ['--privileged'], takesValue: false, apply: (o) => { o.host.Privileged = true; } },
  { names: ['--init'], takesValue: false, apply: (o) => { o.host.Init = true; } },
  { names: ['--read-only'], takesValue: false, apply: (o) => { o.host.ReadonlyRootfs = true; } },
  { names: ['--cap-add'], takesValue: true, apply: push('CapAdd') },
  { names: ['--cap-drop'], takesValue: true, apply: push('CapDrop') },
  { names: ['--add-host'], takesValue: true, apply: push('ExtraHosts') },
  { names: ['--dns'], takesValue: true, apply: push('Dns') },
  { names: ['--group-add'], takesValue: true, apply: push('GroupAdd') },
  { names: ['--security-opt'], takesValue: true, apply: push('SecurityOpt') },
  { names: ['--network', '--net'], takesValue: true, apply: set('NetworkMode') },
  { names: ['--ipc'], takesValue: true, apply: set('IpcMode') },
  { names: ['--pid'], takesValue: true, apply: set('PidMode') },
  { names: ['--shm-size'], takesValue: true, apply: set('ShmSize', parseSize) },
  { names: ['--pids-limit'], takesValue: true, apply: set('PidsLimit', parseInteger) },
  {
    names: ['--tmpfs'], takesValue: true,
    apply: (o, v) => { const [path, opts] = splitOnce(v, ':'); ((o.host.Tmpfs as Record<string, string> | undefined) ??= {})[path] = opts; },
  },
  {
    names: ['--sysctl'], takesValue: true,
    apply: (o, v) => { const [k, val] = splitOnce(v, '='); ((o.host.Sysctls as Record<string, string> | undefined) ??= {})[k] = val; },
  },
  {
    names: ['--ulimit'], takesValue: true,
    apply: (o, v, f) => {
      const [name, limits] = splitOnce(v, '=');
      const [soft, hard] = limits.split(':');
      const ulimits = ((o.host.Ulimits as unknown[] | undefined) ??= []);
      ulimits.push({ Name: name, Soft: parseInteger(soft ?? '', f), Hard: parseInteger(hard ?? soft ?? '', f) });
    },
  },
  {
    names: ['--device'], takesValue: true,
    apply: (o, v) => {
      const [onHost, inContainer, perms] = v.split(':');
      ((o.host.Devices as unknown[] | undefined) ??= []).push({
        PathOnHost: onHost, PathInContainer: inContainer || onHost, CgroupPermissions: perms || 'rwm',
      });
    },
  },
];

const BY_NAME = new Map(FLAGS.flatMap((f) => f.names.map((n) => [n, f] as const)));

/** Every flag accepted in dockerRunArgs, for messages and docs. */
export const SUPPORTED_RUN_ARGS: readonly string[] = FLAGS.map((f) => f.names.join('/'));

const reject = (arg: string, why: string): never => {
  throw new RuntimeOptionError(
    `dockerRunArgs: "${arg}" ${why}. Supported: ${SUPPORTED_RUN_ARGS.join(', ')}` +
      ' (cpu, mem, gpu, image and requiresDocker are node options, not run args)',
  );
};

/**
 * Parses `dockerRunArgs` (`--flag value`, `--flag=value`, `-e value`, `-eVALUE`). Throws
 * RuntimeOptionError naming the first argument it cannot honour.
 */
export const parseRunArgs = (args: readonly string[]): RunArgsOptions => {
  const out: RunArgsOptions = { env: [], labels: {}, host: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let name = arg;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { name = arg.slice(0, eq); value = arg.slice(eq + 1); }
    else if (/^-[a-z]./.test(arg) && !arg.startsWith('--')) { name = arg.slice(0, 2); value = arg.slice(2); }
    const flag = BY_NAME.get(name);
    if (!flag) return reject(arg, 'is not supported by the Docker runtime');
    if (!flag.takesValue) {
      if (value !== undefined && value !== 'true') {
        if (value === 'false') continue;
        reject(arg, `takes no value (use ${name} or ${name}=false)`);
      }
      flag.apply(out, '', name);
      continue;
    }
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) reject(arg, 'needs a value');
    }
    flag.apply(out, value!, name);
  }
  return out;
};
