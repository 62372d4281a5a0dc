/**
 * Looking inside an image (docs/conducto-semantics.md#probing): one throwaway container (`sh -c`,
 * entrypoint overridden) prints the os-release, the first python >= 3.5, whether pip exists and the first
 * shell of bash, ash, zsh, sh; `docker image inspect` gives user, entrypoint and workdir. Results are
 * cached by image id, in memory and as JSON files under the cache dir (probes/<id>.json), since an id never
 * changes content.
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DistroFlavor, ImageBuilder, InspectedImage, ProbeResult } from './contract.ts';
import { cacheDir } from './cache-dir.ts';
import { ImageNotFoundError } from '../errors.ts';
import { debugLog } from '../debug-log.ts';

const log = debugLog('images');

/** The probe script; sections are delimited by marker lines so any output order problem is visible. */
export const PROBE_SCRIPT = [
  'echo __caisson_os__',
  'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  'echo __caisson_python__',
  'for b in python3 python; do if command -v "$b" >/dev/null 2>&1; then echo "$b $("$b" --version 2>&1)"; break; fi; done',
  'echo __caisson_pip__',
  '(command -v pip3 || command -v pip) 2>/dev/null',
  'echo __caisson_shell__',
  // A PATH walk, not `command -v`: BusyBox answers that with the bare applet name.
  'found=; for s in bash ash zsh sh; do for d in $(echo "$PATH:/bin:/usr/bin" | sed "s/:/ /g"); do if [ -z "$found" ] && [ -x "$d/$s" ]; then found="$d/$s"; fi; done; done; echo "$found"',
  'echo __caisson_end__',
].join('\n');

/** ubuntu|debian → apt; alpine → apk; rhel|centos → yum; fedora → dnf (also via ID_LIKE). */
export function flavorOf(id: string, idLike = ''): DistroFlavor | undefined {
  for (const word of `${id} ${idLike}`.toLowerCase().split(/\s+/)) {
    if (/^(ubuntu|debian)$/.test(word)) return 'apt';
    if (word === 'alpine') return 'apk';
    if (/^(rhel|centos)$/.test(word)) return 'yum';
    if (word === 'fedora') return 'dnf';
  }
  return undefined;
}

/** Parses the probe script's output plus inspect facts into a ProbeResult. */
export function parseProbe(stdout: string, inspected: Pick<InspectedImage, 'user' | 'entrypoint' | 'workdir'>): ProbeResult {
  const section = (name: string): string[] => {
    const m = new RegExp(`__caisson_${name}__\\n([\\s\\S]*?)(?=__caisson_\\w+__)`).exec(stdout);
    return (m?.[1] ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  };
  const os: Record<string, string> = {};
  for (const line of section('os')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) os[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  const py = /^(\S+) Python (\d+)\.(\d+)/.exec(section('python')[0] ?? '');
  const usable = py && (Number(py[2]) > 3 || (Number(py[2]) === 3 && Number(py[3]) >= 5));
  const result: ProbeResult = {
    distro: { id: os.ID ?? '', versionId: os.VERSION_ID ?? '', prettyName: os.PRETTY_NAME ?? '' },
    user: inspected.user,
    entrypoint: inspected.entrypoint,
    workdir: inspected.workdir,
    pip: section('pip').length > 0,
  };
  const flavor = flavorOf(os.ID ?? '', os.ID_LIKE);
  if (flavor) result.flavor = flavor;
  if (usable && py) result.python = { bin: py[1]!, version: /Python (\S+)/.exec(section('python')[0]!)?.[1] ?? `${py[2]}.${py[3]}` };
  const shell = section('shell')[0];
  if (shell?.startsWith('/')) result.shell = shell;
  return result;
}

/** Probes images through a builder, caching by image id (memory, then disk). */
export class ImageProber {
  private readonly memory = new Map<string, Promise<ProbeResult>>();

  /**
   * @param builder runs the inspect and probe containers
   * @param dir where probe results are cached on disk, keyed by image id
   */
  constructor(private readonly builder: ImageBuilder, private readonly dir: () => string = () => cacheDir('probes')) {}

  /** Probes `ref`; `known` skips the inspect when the caller already has it. */
  async probe(ref: string, known?: InspectedImage, signal?: AbortSignal): Promise<ProbeResult> {
    const inspected = known ?? (await this.builder.inspect([ref], signal)).get(ref);
    if (!inspected) throw new ImageNotFoundError(ref, 'needed to probe it; no registry is used to pull base images here');
    let pending = this.memory.get(inspected.id);
    if (!pending) {
      pending = this.load(ref, inspected, signal);
      this.memory.set(inspected.id, pending);
      pending.catch(() => this.memory.delete(inspected.id));
    }
    return pending;
  }

  private async load(ref: string, inspected: InspectedImage, signal?: AbortSignal): Promise<ProbeResult> {
    const file = join(this.dir(), `${inspected.id.replace(/[^A-Za-z0-9]/g, '_')}.json`);
    if (existsSync(file)) {
      try {
        const cached = JSON.parse(readFileSync(file, 'utf8')) as ProbeResult;
        log('probe cached', { ref, id: inspected.id, file });
        return cached;
      } catch { /* rewritten below */ }
    }
    log('probe container', { ref, id: inspected.id });
    const result = parseProbe(await this.builder.runProbe(ref, PROBE_SCRIPT, signal), inspected);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, file);
    return result;
  }
}
