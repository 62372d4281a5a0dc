/**
 * The values of the three `docker run` flags with a little language of their own, read as the docker
 * CLI reads them: `--publish` (ports and ranges, IPv4/IPv6 host addresses), `--mount` (CSV of
 * key=value) and `--gpus` (all, a count, or CSV with device IDs).
 */
import { RuntimeOptionError } from '../../core/index.ts';

/** One container port and where it is published on the host. */
export interface PublishedPort {
  /** The port inside the container. */
  containerPort: number;
  /** tcp, udp or sctp. */
  proto: string;
  /** The host address to bind ("" = all). */
  hostIp: string;
  /** The host port or range ("" = one the daemon picks). */
  hostPort: string;
}

/** The Engine API's key for a container port: "80/tcp". */
export const portKey = (p: Pick<PublishedPort, 'containerPort' | 'proto'>): string => `${p.containerPort}/${p.proto}`;

const bad = (flag: string, value: string, why: string): never => {
  throw new RuntimeOptionError(`dockerRunArgs: ${flag} ${value}: ${why}`, { flag });
};

const range = (s: string): [number, number] => {
  const [a, b = a] = s.split('-').map(Number);
  return [a!, b!];
};

/** `[IP:][HOST-PORT:]CONTAINER-PORT[/PROTO]`, with equal-sized ranges paired port by port. */
export function parsePublish(value: string): PublishedPort[] {
  const [spec, proto = 'tcp'] = value.split('/');
  let rest = spec!;
  let hostIp = '';
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) [, hostIp, rest] = v6 as unknown as [string, string, string];
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift()!;
  const [hostSpec, containerSpec] = parts.length === 1 ? ['', parts[0]!] : [parts[0]!, parts[1]!];
  const [from, to] = range(containerSpec);
  if (to < from) bad('--publish', value, 'the container port range ends before it starts');
  const count = to - from + 1;
  const [hostFrom, hostTo] = hostSpec === '' ? [0, -1] : range(hostSpec);
  const hostCount = hostTo - hostFrom + 1;
  if (hostSpec !== '' && count > 1 && hostCount !== count) bad('--publish', value, 'the host and container port ranges differ in size');
  const out: PublishedPort[] = [];
  for (let i = 0; i < count; i++) {
    // One container port with a host range: the daemon picks a free port of the range.
    const hostPort = hostSpec === '' ? '' : count === 1 ? hostSpec : String(hostFrom + i);
    out.push({ containerPort: from + i, proto, hostIp, hostPort });
  }
  return out;
}

/** Splits CSV on commas outside double quotes, dropping the quotes (as docker's --mount and --gpus do). */
const csvFields = (value: string): string[] => {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { fields.push(cur); cur = ''; }
    else cur += ch;
  }
  fields.push(cur);
  return fields;
};

const truthy = (v: string | undefined) => v === undefined || v === '' || v === 'true' || v === '1';

/** `--mount type=bind,source=./x,target=/x,readonly` → an Engine API mount; `hostPath` resolves bind sources. */
export function parseMount(value: string, hostPath: (p: string) => string): Record<string, unknown> {
  const m: Record<string, unknown> = { Type: 'volume' };
  const sub = (key: string) => ((m[key] as Record<string, unknown> | undefined) ??= {});
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    const need = () => val ?? bad('--mount', value, `${key} needs a value`);
    switch (key) {
      case 'type': m.Type = need(); break;
      case 'source': case 'src': m.Source = need(); break;
      case 'target': case 'destination': case 'dst': m.Target = need(); break;
      case 'readonly': case 'ro': m.ReadOnly = truthy(val); break;
      case 'consistency': m.Consistency = need(); break;
      case 'bind-propagation': sub('BindOptions').Propagation = need(); break;
      case 'bind-nonrecursive': sub('BindOptions').NonRecursive = truthy(val); break;
      case 'volume-nocopy': sub('VolumeOptions').NoCopy = truthy(val); break;
      case 'volume-driver': ((sub('VolumeOptions').DriverConfig ??= {}) as Record<string, unknown>).Name = need(); break;
      case 'volume-opt': case 'volume-label': {
        const [k, v = ''] = need().split(/=(.*)/s);
        const opts = sub('VolumeOptions');
        const into = key === 'volume-label' ? ((opts.Labels ??= {}) as Record<string, string>)
          : ((((opts.DriverConfig ??= {}) as Record<string, unknown>).Options ??= {}) as Record<string, string>);
        into[k!] = v;
        break;
      }
      case 'tmpfs-size': sub('TmpfsOptions').SizeBytes = Number(/^\d+$/.test(need()) ? val : bad('--mount', value, 'tmpfs-size expects bytes')); break;
      case 'tmpfs-mode': sub('TmpfsOptions').Mode = parseInt(need(), 8); break;
      default: bad('--mount', value, `unknown key "${key}" (known: type, source, target, readonly, consistency, bind-propagation, bind-nonrecursive, volume-nocopy, volume-driver, volume-opt, volume-label, tmpfs-size, tmpfs-mode)`);
    }
  }
  if (m.Target === undefined) bad('--mount', value, 'target is required');
  if (m.Type === 'bind') {
    if (m.Source === undefined) bad('--mount', value, 'a bind mount needs a source');
    m.Source = hostPath(m.Source as string);
  }
  return m;
}

/** `--gpus all | N | [count=N,][device=ID[,ID…],][driver=D,][capabilities=C[,C…]]` → one device request. */
export function parseGpus(value: string): Record<string, unknown> {
  const req: Record<string, unknown> = { Driver: '', Count: 0, DeviceIDs: [], Capabilities: [['gpu']], Options: {} };
  if (value === 'all') return { ...req, Count: -1 };
  if (/^\d+$/.test(value)) return { ...req, Count: Number(value) };
  let last: string | undefined;
  const values: Record<string, string[]> = {};
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    // `device=0,1` unquoted: a bare field continues the list before it.
    if (eq < 0 && last) { values[last]!.push(field); continue; }
    last = field.slice(0, eq);
    values[last] = [field.slice(eq + 1)];
  }
  for (const [key, list] of Object.entries(values)) {
    if (key === 'count') req.Count = list[0] === 'all' ? -1 : Number(list[0]);
    else if (key === 'device') req.DeviceIDs = list.flatMap((d) => d.split(','));
    else if (key === 'driver') req.Driver = list[0];
    else if (key === 'capabilities') req.Capabilities = [[...new Set(['gpu', ...list])]];
    else bad('--gpus', value, `unknown key "${key}" (known: count, device, driver, capabilities)`);
  }
  return req;
}
