/**
 * A recording ImageBuilder for unit tests: images "exist" once built (or when seeded), probes answer
 * from canned os-release text, and every call is counted.
 */
import { createHash } from 'node:crypto';
import type { BuildPlan, BuildProgress, GitCheckoutResult, GitSource, ImageBuilder, InspectedImage, PlanContext, ProbeResult, PushResult, PushTarget } from '../../../../core/index.ts';
import { ImageNotFoundError, RuntimeUnavailableError } from '../../../../core/index.ts';

export const DEBIAN_PROBE: ProbeResult = {
  distro: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' }, flavor: 'apt',
  user: '', entrypoint: [], workdir: '', pip: false, shell: '/bin/bash',
};

export class FakeImageBuilder implements ImageBuilder {
  readonly builds: Array<{ tag: string; plan: BuildPlan }> = [];
  readonly images = new Map<string, InspectedImage>();
  inspectCalls = 0;
  probeCalls = 0;
  /** os-release text returned by probes, per reference (default: Debian). */
  osRelease: Record<string, string> = {};

  constructor(seed: string[] = ['debian:bookworm-slim', 'busybox:latest']) {
    for (const ref of seed) this.images.set(ref, { id: `sha256:${ref}`, user: '', entrypoint: [], workdir: '', labels: {} });
  }

  async build(plan: BuildPlan, opts: { tag: string; onProgress?: (p: BuildProgress) => void }): Promise<{ id: string }> {
    this.builds.push({ tag: opts.tag, plan });
    opts.onProgress?.({ type: 'step', step: plan.dockerfile.split('\n')[1] ?? 'FROM', cached: false });
    opts.onProgress?.({ type: 'log', step: 'RUN', line: 'cloning https://bot:s3cr3t-tok@h/r.git' });
    // A RUN step that prints its build secrets, as a careless Dockerfile would.
    for (const value of Object.values(plan.secretValues ?? {})) opts.onProgress?.({ type: 'log', step: 'RUN', line: `token is ${value}` });
    const id = `sha256:built-${this.builds.length}`;
    this.images.set(opts.tag, { id, user: '', entrypoint: [], workdir: '/mnt/caisson', labels: plan.labels ?? {} });
    return { id };
  }

  async inspect(refs: readonly string[]): Promise<Map<string, InspectedImage>> {
    this.inspectCalls++;
    return new Map(refs.filter((r) => this.images.has(r)).map((r) => [r, this.images.get(r)!]));
  }

  /** Git sources checked out, as the service handed them over (URL without userinfo, credential apart). */
  readonly gitFetches: GitSource[] = [];

  async fetchGit(source: GitSource): Promise<GitCheckoutResult> {
    this.gitFetches.push(source);
    return { dir: '/tmp/clone', sha: '0123456789abcdef0123456789abcdef01234567' };
  }

  async gitHead(): Promise<string | undefined> { return undefined; }

  /** The fake registry: tag reference → manifest digest. */
  readonly registry = new Map<string, string>();
  /** Pushes that happened (skipped ones are not here). */
  readonly pushes: Array<{ ref: string; target: PushTarget }> = [];
  /** Registries that "do not answer". */
  readonly unreachable = new Set<string>();

  async push(ref: string, target: PushTarget): Promise<PushResult> {
    const local = this.images.get(ref);
    if (!local) throw new ImageNotFoundError(ref, 'not in the fake builder');
    const repo = `${target.registry}/${target.repository}`;
    const digest = `sha256:${createHash('sha256').update(local.id).digest('hex')}`;
    const tag = `${repo}:${target.tag ?? digest.slice(7, 19)}`;
    if (this.unreachable.has(target.registry)) throw new RuntimeUnavailableError(`image "${target.image}": the registry ${target.registry} does not answer`, { endpoint: `registry ${target.registry}` });
    const result = { ref: `${repo}@${digest}`, tag, id: local.id };
    if (this.registry.get(tag) === digest) return { ...result, pushed: false };
    this.pushes.push({ ref, target });
    this.registry.set(tag, digest);
    return { ...result, pushed: true };
  }

  async runProbe(ref: string): Promise<string> {
    this.probeCalls++;
    const os = this.osRelease[ref] ?? 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"';
    return `__caisson_os__\n${os}\n__caisson_python__\n__caisson_pip__\n__caisson_shell__\n/bin/sh\n__caisson_end__\n`;
  }
}

/** A PlanContext whose probe answers `probe` for every reference. */
export const fakePlanContext = (probe: ProbeResult, caBundle?: string): PlanContext => ({
  image: 'test',
  caBundle,
  emptyContext: '/tmp/empty',
  probe: async () => probe,
  buildStage: async (_plan, stage) => `caisson/test-${stage}:000000000000`,
  checkout: async () => ({ dir: '/tmp/clone', sha: '0123456789abcdef0123456789abcdef01234567' }),
  gitHead: async () => undefined,
  secret: (name) => `value-of-${name}`,
  optionalSecret: () => undefined,
});
