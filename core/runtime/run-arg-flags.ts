/**
 * The `docker run` flags a node's `dockerRunArgs` may hold, as data: every flag of the docker run
 * reference (Docker 20.10, Engine API 1.41) with its aliases, whether it takes a value and of what
 * form, and, for the flags Caisson cannot honour or owns itself, why and what to use instead. Core
 * checks pipelines against it when they compile (parse-run-args.ts); the Docker runtime maps the
 * accepted flags onto the Engine API. No I/O and no Docker client here.
 */

/** What a flag's value must look like: `none` = a switch (`--init`, `--init=false`). */
export type RunArgValue = 'none' | 'text' | 'int' | 'size' | 'duration';

/** One `docker run` flag. */
export interface RunArgFlag {
  /** The long name, `--publish`; what a parsed flag is called whatever the spelling. */
  readonly name: string;
  /** Other spellings (`-p`, `--net`); mapped onto `name` before anything else is decided. */
  readonly aliases?: readonly string[];
  /** Whether it takes a value, and of what form. */
  readonly value: RunArgValue;
  /** A stricter form for the value, checked at compile time, and how to say what is expected. */
  readonly syntax?: { readonly pattern: RegExp; readonly expected: string };
  /** Set when the flag is refused: why, and what to use instead. */
  readonly refused?: string;
}

const CPU = 'use the cpu option';
const MEM = 'use the mem option';
const NET = 'Caisson manages container networking';
const STREAMS = 'Caisson runs the container and holds its input and output itself';
const IMAGE = 'Caisson resolves the node\'s image itself; set the image option';

const KV = { pattern: /^[^=\s]+=/, expected: 'KEY=VALUE' };
const PORT = /(\d+)(-\d+)?/.source;
const PUBLISH = new RegExp(`^(?:(?:\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?(?:(?:${PORT})?:)?${PORT}(?:/(?:tcp|udp|sctp))?$`);
const DEVICE_RATE = (unit: string) => ({ pattern: /^\/[^:]+:\d+(?:\.\d+)?[bkmgBKMG]?[bB]?$/, expected: `DEVICE-PATH:${unit}` });

/** Every flag of `docker run`, accepted or refused. */
export const RUN_ARG_FLAGS: readonly RunArgFlag[] = [
  // Environment and labels.
  { name: '--env', aliases: ['-e'], value: 'text', syntax: { pattern: /^[^=]/, expected: 'KEY=VALUE or KEY' } },
  { name: '--env-file', value: 'text' },
  { name: '--label', aliases: ['-l'], value: 'text', syntax: { pattern: /^[^=]/, expected: 'KEY=VALUE or KEY' } },
  { name: '--label-file', value: 'text' },
  // Filesystem.
  { name: '--volume', aliases: ['-v'], value: 'text', syntax: { pattern: /^[^:]+(:[^:]+(:[a-zA-Z,]+)?)?$/, expected: '[SOURCE:]TARGET[:OPTIONS]' } },
  { name: '--mount', value: 'text', syntax: { pattern: /(^|,)(target|destination|dst)=[^,]+/, expected: 'type=…,source=…,target=… (target is required)' } },
  { name: '--tmpfs', value: 'text', syntax: { pattern: /^\//, expected: 'an absolute PATH[:OPTIONS]' } },
  { name: '--read-only', value: 'none' },
  { name: '--volume-driver', value: 'text' },
  { name: '--volumes-from', value: 'text' },
  { name: '--workdir', aliases: ['-w'], value: 'text' },
  { name: '--storage-opt', value: 'text', syntax: KV },
  // Process.
  { name: '--entrypoint', value: 'text' },
  { name: '--user', aliases: ['-u'], value: 'text' },
  { name: '--group-add', value: 'text' },
  { name: '--init', value: 'none' },
  { name: '--stop-signal', value: 'text' },
  { name: '--stop-timeout', value: 'int' },
  { name: '--platform', value: 'text', syntax: { pattern: /^[a-z0-9]+(\/[a-zA-Z0-9_]+){0,2}$/, expected: 'OS[/ARCH[/VARIANT]], e.g. linux/amd64' } },
  { name: '--runtime', value: 'text' },
  { name: '--isolation', value: 'text' },
  // Identity and namespaces.
  { name: '--hostname', aliases: ['-h'], value: 'text' },
  { name: '--domainname', value: 'text' },
  { name: '--ipc', value: 'text' },
  { name: '--pid', value: 'text' },
  { name: '--uts', value: 'text' },
  { name: '--userns', value: 'text' },
  { name: '--cgroupns', value: 'text', syntax: { pattern: /^(host|private)$/, expected: 'host or private' } },
  { name: '--cgroup-parent', value: 'text' },
  // Privileges and security.
  { name: '--privileged', value: 'none' },
  { name: '--cap-add', value: 'text' },
  { name: '--cap-drop', value: 'text' },
  { name: '--security-opt', value: 'text' },
  { name: '--sysctl', value: 'text', syntax: KV },
  { name: '--ulimit', value: 'text', syntax: { pattern: /^[a-z]+=-?\d+(:-?\d+)?$/, expected: 'NAME=SOFT[:HARD], e.g. nofile=1024:2048' } },
  // Devices and GPUs.
  { name: '--device', value: 'text', syntax: { pattern: /^\/[^:]+(:\/[^:]+)?(:[rwm]+)?$/, expected: 'HOST-PATH[:CONTAINER-PATH][:PERMISSIONS]' } },
  { name: '--device-cgroup-rule', value: 'text' },
  { name: '--gpus', value: 'text', syntax: { pattern: /^(all|\d+|"?(device|count|driver|capabilities)=.+)$/, expected: 'all, a count, or device=ID[,ID…] (also count=, driver=, capabilities=)' } },
  // Block I/O.
  { name: '--blkio-weight', value: 'int' },
  { name: '--blkio-weight-device', value: 'text', syntax: { pattern: /^\/[^:]+:\d+$/, expected: 'DEVICE-PATH:WEIGHT' } },
  { name: '--device-read-bps', value: 'text', syntax: DEVICE_RATE('RATE (e.g. 1mb)') },
  { name: '--device-write-bps', value: 'text', syntax: DEVICE_RATE('RATE (e.g. 1mb)') },
  { name: '--device-read-iops', value: 'text', syntax: { pattern: /^\/[^:]+:\d+$/, expected: 'DEVICE-PATH:IOPS' } },
  { name: '--device-write-iops', value: 'text', syntax: { pattern: /^\/[^:]+:\d+$/, expected: 'DEVICE-PATH:IOPS' } },
  { name: '--io-maxbandwidth', value: 'size' },
  { name: '--io-maxiops', value: 'int' },
  // CPU and memory beyond the cpu and mem options.
  { name: '--cpu-shares', aliases: ['-c'], value: 'int' },
  { name: '--cpuset-cpus', value: 'text' },
  { name: '--cpuset-mems', value: 'text' },
  { name: '--cpu-rt-period', value: 'int' },
  { name: '--cpu-rt-runtime', value: 'int' },
  { name: '--memory-reservation', value: 'size' },
  { name: '--memory-swappiness', value: 'int' },
  { name: '--kernel-memory', value: 'size' },
  { name: '--oom-kill-disable', value: 'none' },
  { name: '--oom-score-adj', value: 'int' },
  { name: '--pids-limit', value: 'int' },
  { name: '--shm-size', value: 'size' },
  // Name resolution inside the container (its /etc/hosts and resolv.conf, not its networks).
  { name: '--add-host', value: 'text', syntax: { pattern: /^[^:\s]+:\S+$/, expected: 'HOST:IP' } },
  { name: '--dns', value: 'text' },
  { name: '--dns-option', aliases: ['--dns-opt'], value: 'text' },
  { name: '--dns-search', value: 'text' },
  // Ports on the container's network.
  { name: '--publish', aliases: ['-p'], value: 'text', syntax: { pattern: PUBLISH, expected: '[IP:][HOST-PORT:]CONTAINER-PORT[/PROTOCOL], e.g. 8080:80' } },
  { name: '--publish-all', aliases: ['-P'], value: 'none' },
  { name: '--expose', value: 'text', syntax: { pattern: new RegExp(`^${PORT}(/(tcp|udp|sctp))?$`), expected: 'PORT[/PROTOCOL] or a range START-END' } },
  // Health checks and logging.
  { name: '--health-cmd', value: 'text' },
  { name: '--health-interval', value: 'duration' },
  { name: '--health-timeout', value: 'duration' },
  { name: '--health-start-period', value: 'duration' },
  { name: '--health-retries', value: 'int' },
  { name: '--no-healthcheck', value: 'none' },
  { name: '--log-driver', value: 'text' },
  { name: '--log-opt', value: 'text', syntax: KV },
  // Refused: node options do it.
  { name: '--cpus', value: 'text', refused: CPU },
  { name: '--cpu-period', value: 'text', refused: `${CPU} (it sets the CPU quota Caisson derives from cpu)` },
  { name: '--cpu-quota', value: 'text', refused: `${CPU} (it sets the CPU quota Caisson derives from cpu)` },
  { name: '--cpu-count', value: 'text', refused: CPU },
  { name: '--cpu-percent', value: 'text', refused: CPU },
  { name: '--memory', aliases: ['-m'], value: 'text', refused: MEM },
  { name: '--memory-swap', value: 'text', refused: `${MEM}; swap is set equal to it so a memory hog is killed rather than left crawling` },
  // Refused: Caisson owns the container's networks.
  { name: '--network', aliases: ['--net'], value: 'text', refused: NET },
  { name: '--network-alias', aliases: ['--net-alias'], value: 'text', refused: NET },
  { name: '--ip', value: 'text', refused: NET },
  { name: '--ip6', value: 'text', refused: NET },
  { name: '--link', value: 'text', refused: NET },
  { name: '--link-local-ip', value: 'text', refused: NET },
  { name: '--mac-address', value: 'text', refused: NET },
  // Refused: Caisson owns the container's lifetime, name and streams.
  { name: '--rm', value: 'none', refused: 'Caisson removes its containers itself' },
  { name: '--detach', aliases: ['-d'], value: 'none', refused: STREAMS },
  { name: '--interactive', aliases: ['-i'], value: 'none', refused: STREAMS },
  { name: '--tty', aliases: ['-t'], value: 'none', refused: `${STREAMS} (its commands run without a terminal)` },
  { name: '--attach', aliases: ['-a'], value: 'text', refused: STREAMS },
  { name: '--detach-keys', value: 'text', refused: STREAMS },
  { name: '--sig-proxy', value: 'none', refused: STREAMS },
  { name: '--name', value: 'text', refused: 'Caisson names its containers (dev.caisson.* labels tell them apart)' },
  { name: '--cidfile', value: 'text', refused: 'Caisson tracks its containers by their dev.caisson.* labels' },
  { name: '--restart', value: 'text', refused: 'a container lives as long as its reuse group, and Caisson removes it then' },
  // Refused: the docker CLI's business, not the container's.
  { name: '--pull', value: 'text', refused: IMAGE },
  { name: '--disable-content-trust', value: 'none', refused: IMAGE },
  { name: '--quiet', aliases: ['-q'], value: 'none', refused: IMAGE },
  { name: '--help', value: 'none', refused: 'it prints the docker CLI\'s help' },
];
