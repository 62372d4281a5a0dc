/**
 * Maps a node's `dockerRunArgs` onto Engine API (1.41) create options, flag by flag, the way `docker run`
 * does. Which flags exist, their spellings and which are refused is core's table (core/runtime); the
 * pipeline was checked against it when it compiled, so a refusal here only meets an IR made elsewhere.
 * Host paths (bind sources, env and label files) are taken relative to `baseDir`, the pipeline's folder.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseRunArgs, RuntimeOptionError } from '../../core/plugin-kit.ts';
import { readKeyValueFile } from './env-files.ts';
import { parseGpus, parseMount, parsePublish, portKey } from './run-arg-values.ts';

/** What run args add to a container's create options. */
export interface MappedRunArgs {
  /** Top-level create fields: Env, Labels, WorkingDir, User, Hostname, ExposedPorts, Healthcheck… */
  config: Record<string, unknown>;
  /** HostConfig fields: Binds, Mounts, PortBindings, CapAdd, DeviceRequests… */
  host: Record<string, unknown>;
  /** --entrypoint: what wraps the driver (empty = the default, no wrapper). */
  entrypoint?: string[];
  /** --platform: the create call's query parameter. */
  platform?: string;
  /** --env-file paths (absolute): read on the host when each command starts, never put in the container. */
  envFiles: string[];
}

/** Where relative host paths start from. */
export interface RunArgsContext {
  /** The pipeline's folder (default: the current directory). */
  baseDir?: string;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const DURATION_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** "64m" → bytes (the grammar already checked the form). */
export const parseSize = (v: string): number => {
  const m = /^(\d+(?:\.\d+)?)([bkmg]?)b?$/i.exec(v.trim())!;
  return Math.round(Number(m[1]) * (SIZE_UNITS[m[2]!.toLowerCase()] ?? 1));
};
/** "1m30s" → nanoseconds, as the Engine API wants durations. */
export const parseDuration = (v: string): number =>
  [...v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)].reduce((ns, m) => ns + Number(m[1]) * DURATION_NS[m[2]!]!, 0);

const splitOnce = (v: string, sep: string): [string, string] => {
  const i = v.indexOf(sep);
  return i < 0 ? [v, ''] : [v.slice(0, i), v.slice(i + 1)];
};
/** A bind source as docker takes it, with a relative host path made absolute from `baseDir`. */
const hostPath = (p: string, baseDir: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
const isHostPathLike = (p: string) => p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || p.startsWith('/');

/** One flag's effect on the options. */
type Apply = (o: MappedRunArgs, value: string, ctx: Required<RunArgsContext>) => void;

const list = (o: Record<string, unknown>, key: string) => ((o[key] as unknown[] | undefined) ??= []);
const dict = (o: Record<string, unknown>, key: string) => ((o[key] as Record<string, unknown> | undefined) ??= {});
const pushHost = (key: string): Apply => (o, v) => { list(o.host, key).push(v); };
const setHost = (key: string, parse: (v: string) => unknown = (v) => v): Apply => (o, v) => { o.host[key] = parse(v); };
const setConfig = (key: string, parse: (v: string) => unknown = (v) => v): Apply => (o, v) => { o.config[key] = parse(v); };
const keyValueHost = (key: string, sep = '='): Apply => (o, v) => { const [k, val] = splitOnce(v, sep); dict(o.host, key)[k] = val; };
const deviceRate = (key: string, parse: (v: string) => number): Apply => (o, v) => {
  const [path, rate] = splitOnce(v, ':');
  list(o.host, key).push({ Path: path, Rate: parse(rate) });
};
const health = (key: string, parse: (v: string) => unknown): Apply => (o, v) => { dict(o.config, 'Healthcheck')[key] = parse(v); };

/** What each accepted flag does; a flag in core's table without an entry here is a bug the tests catch. */
export const RUN_ARG_MAPPING: Record<string, Apply> = {
  // `-e NAME` takes the value from the runner's environment, and sets nothing when it has none (as docker).
  '--env': (o, v) => {
    const value = v.includes('=') ? v : process.env[v] === undefined ? undefined : `${v}=${process.env[v]}`;
    if (value !== undefined) list(o.config, 'Env').push(value);
  },
  '--env-file': (o, v, ctx) => { o.envFiles.push(hostPath(v, ctx.baseDir)); },
  '--label': (o, v) => { const [k, val] = splitOnce(v, '='); dict(o.config, 'Labels')[k] = val; },
  '--label-file': (o, v, ctx) => {
    const file = hostPath(v, ctx.baseDir);
    Object.assign(dict(o.config, 'Labels'), readKeyValueFile(file, '--label-file', () => undefined, true));
  },
  '--volume': (o, v, ctx) => {
    const parts = v.split(':');
    if (parts.length === 1) { dict(o.config, 'Volumes')[v] = {}; return; } // an anonymous volume
    const [source, ...rest] = parts;
    list(o.host, 'Binds').push([isHostPathLike(source!) ? hostPath(source!, ctx.baseDir) : source, ...rest].join(':'));
  },
  '--mount': (o, v, ctx) => { list(o.host, 'Mounts').push(parseMount(v, (p) => hostPath(p, ctx.baseDir))); },
  '--tmpfs': keyValueHost('Tmpfs', ':'),
  '--read-only': setHost('ReadonlyRootfs', () => true),
  '--volume-driver': setHost('VolumeDriver'),
  '--volumes-from': pushHost('VolumesFrom'),
  '--workdir': setConfig('WorkingDir'),
  '--storage-opt': keyValueHost('StorageOpt'),
  '--entrypoint': (o, v) => { o.entrypoint = v === '' ? [] : [v]; },
  '--user': setConfig('User'),
  '--group-add': pushHost('GroupAdd'),
  '--init': setHost('Init', () => true),
  '--stop-signal': setConfig('StopSignal'),
  '--stop-timeout': setConfig('StopTimeout', Number),
  '--platform': (o, v) => { o.platform = v; },
  '--runtime': setHost('Runtime'),
  '--isolation': setHost('Isolation'),
  '--hostname': setConfig('Hostname'),
  '--domainname': setConfig('Domainname'),
  '--ipc': setHost('IpcMode'),
  '--pid': setHost('PidMode'),
  '--uts': setHost('UTSMode'),
  '--userns': setHost('UsernsMode'),
  '--cgroupns': setHost('CgroupnsMode'),
  '--cgroup-parent': setHost('CgroupParent'),
  '--privileged': setHost('Privileged', () => true),
  '--cap-add': pushHost('CapAdd'),
  '--cap-drop': pushHost('CapDrop'),
  '--security-opt': pushHost('SecurityOpt'),
  '--sysctl': keyValueHost('Sysctls'),
  '--ulimit': (o, v) => {
    const [name, limits] = splitOnce(v, '=');
    const [soft, hard] = limits.split(':');
    list(o.host, 'Ulimits').push({ Name: name, Soft: Number(soft), Hard: Number(hard ?? soft) });
  },
  '--device': (o, v) => {
    const [onHost, second, third] = v.split(':');
    // HOST[:CONTAINER][:PERMS]: a second part without a slash is the permissions.
    const [inContainer, perms] = second && !second.startsWith('/') ? [onHost, second] : [second || onHost, third];
    list(o.host, 'Devices').push({ PathOnHost: onHost, PathInContainer: inContainer, CgroupPermissions: perms || 'rwm' });
  },
  '--device-cgroup-rule': pushHost('DeviceCgroupRules'),
  '--gpus': (o, v) => { list(o.host, 'DeviceRequests').push(parseGpus(v)); },
  '--blkio-weight': setHost('BlkioWeight', Number),
  '--blkio-weight-device': (o, v) => { const [path, w] = splitOnce(v, ':'); list(o.host, 'BlkioWeightDevice').push({ Path: path, Weight: Number(w) }); },
  '--device-read-bps': deviceRate('BlkioDeviceReadBps', parseSize),
  '--device-write-bps': deviceRate('BlkioDeviceWriteBps', parseSize),
  '--device-read-iops': deviceRate('BlkioDeviceReadIOps', Number),
  '--device-write-iops': deviceRate('BlkioDeviceWriteIOps', Number),
  '--io-maxbandwidth': setHost('IOMaximumBandwidth', parseSize),
  '--io-maxiops': setHost('IOMaximumIOps', Number),
  '--cpu-shares': setHost('CpuShares', Number),
  '--cpuset-cpus': setHost('CpusetCpus'),
  '--cpuset-mems': setHost('CpusetMems'),
  '--cpu-rt-period': setHost('CpuRealtimePeriod', Number),
  '--cpu-rt-runtime': setHost('CpuRealtimeRuntime', Number),
  '--memory-reservation': setHost('MemoryReservation', parseSize),
  '--memory-swappiness': setHost('MemorySwappiness', Number),
  '--kernel-memory': setHost('KernelMemory', parseSize),
  '--oom-kill-disable': setHost('OomKillDisable', () => true),
  '--oom-score-adj': setHost('OomScoreAdj', Number),
  '--pids-limit': setHost('PidsLimit', Number),
  '--shm-size': setHost('ShmSize', parseSize),
  '--add-host': pushHost('ExtraHosts'),
  '--dns': pushHost('Dns'),
  '--dns-option': pushHost('DnsOptions'),
  '--dns-search': pushHost('DnsSearch'),
  '--publish': (o, v) => {
    for (const p of parsePublish(v)) {
      dict(o.config, 'ExposedPorts')[portKey(p)] = {};
      list(dict(o.host, 'PortBindings') as Record<string, unknown>, portKey(p)).push({ HostIp: p.hostIp, HostPort: p.hostPort });
    }
  },
  '--publish-all': setHost('PublishAllPorts', () => true),
  '--expose': (o, v) => {
    const [ports, proto = 'tcp'] = v.split('/');
    const [first, last = first] = ports!.split('-').map(Number);
    for (let p = first!; p <= last!; p++) dict(o.config, 'ExposedPorts')[`${p}/${proto}`] = {};
  },
  '--health-cmd': health('Test', (v) => ['CMD-SHELL', v]),
  '--health-interval': health('Interval', parseDuration),
  '--health-timeout': health('Timeout', parseDuration),
  '--health-start-period': health('StartPeriod', parseDuration),
  '--health-retries': health('Retries', Number),
  '--no-healthcheck': (o) => { o.config.Healthcheck = { Test: ['NONE'] }; },
  '--log-driver': (o, v) => { dict(o.host, 'LogConfig').Type = v; },
  '--log-opt': (o, v) => { const [k, val] = splitOnce(v, '='); dict(dict(o.host, 'LogConfig'), 'Config')[k] = val; },
};

/**
 * Maps `args` onto create options. Throws RuntimeOptionError for an argument the table refuses (an IR
 * that did not come through compile()) or a value that cannot be read (a --label-file that is missing).
 */
export const mapRunArgs = (args: readonly string[], ctx: RunArgsContext = {}): MappedRunArgs => {
  const full = { baseDir: ctx.baseDir ?? process.cwd() };
  const out: MappedRunArgs = { config: {}, host: {}, envFiles: [] };
  const parsed = parseRunArgs(args, (m, flag) => { throw new RuntimeOptionError(`dockerRunArgs: ${m}`, { flag }); });
  for (const { flag, value } of parsed) {
    const apply = RUN_ARG_MAPPING[flag];
    if (!apply) throw new RuntimeOptionError(`dockerRunArgs: ${flag} has no mapping onto the Engine API in the Docker runtime`, { flag });
    apply(out, value, full);
  }
  return out;
};
