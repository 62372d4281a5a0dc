/**
 * Container reuse (docs/conducto-semantics.md#container-reuse), kept in the engine so every runtime gets
 * it.
 *
 * - Group "global": an idle container with the same reuse key is handed out again; a busy one is never
 *   waited for (a new one is acquired instead).
 * - Any other group (the path of the node that set `reuse: "new"`): one dedicated container per
 *   distinct key, kept until the group's owner finishes. The scheduler lets the group's Execs through
 *   one at a time, so the pool never sees two of them at once.
 *
 * The names of the secrets an Exec is given are part of the key, so a container only ever runs Execs given
 * exactly the same secrets. A container is not a boundary between the commands it runs: one can leave a
 * value in /tmp for the next, or leave a process behind that reads the next one's environment from /proc.
 * Keying by the set (rather than disposing every container that saw a secret) keeps reuse for the common
 * case, many steps with the same secrets, and covers both directions: a secret never lands where a node
 * without it runs later, and a secret never lands where such a node ran before. In a "new" group this means
 * Execs with different secrets get different containers, so the files they share must come from Execs given
 * the same secrets (put the secret on the group to share one container).
 *
 * Warm containers: the scheduler may ask for a container ahead of need (`prewarm`), for the next Exec of
 * a Serial while the current one runs, so creating and starting it leaves the critical path. A warm
 * container is handed only to an acquire with the same group and reuse key, which is exactly the one
 * that would have created a fresh container, so warming never changes which Execs share a filesystem.
 */
import type { ContainerLease, ContainerSpec, RuntimeSession } from '../runtime/index.ts';
import { debugLog } from '../debug-log.ts';

const log = debugLog('engine');

/** The reuse group of Execs with default reuse: idle containers are shared across the whole run. */
export const GLOBAL_GROUP = 'global';

/**
 * Two Execs with the same key may share a container: the same spec, and the same secret names (which
 * env vars they land in does not matter, nor their order). Env is per command, not part of it.
 */
export const reuseKey = (s: ContainerSpec, secretNames: Iterable<string> = []): string =>
  JSON.stringify([s.image, s.cpu, s.mem, s.gpu, s.backend, [...new Set(secretNames)].sort()]);

const warmKey = (group: string, key: string): string => `${group}\u0000${key}`;

/** Where a pool's new containers come from: the run's runtime session, and whether to warm them. */
export interface PoolSource {
  /** The run's open session (the pool acquires only while a start() goes on). */
  session(): Pick<RuntimeSession, 'acquire'>;
  /** Create containers ahead of need (the runtime's warmContainers capability). */
  readonly warms: boolean;
}

/**
 * Hands out containers to one Run's Execs, reusing idle ones per Conducto's reuse rules, and disposes
 * them when their group finishes or the run ends.
 */
export class ContainerPool {
  private readonly idle = new Map<string, ContainerLease[]>();
  private readonly groups = new Map<string, Map<string, ContainerLease>>();
  /** Every container not yet disposed, with the reuse key it was created for (fixed for its life). */
  private readonly live = new Map<ContainerLease, string>();
  private disposals: Promise<void>[] = [];
  /** Containers being created (or created and unclaimed) ahead of need, by group and reuse key. */
  private readonly warm = new Map<string, { lease: Promise<ContainerLease>; abort: AbortController }>();

  /**
   * @param source where new containers come from, and whether to warm them
   * @param beforeDispose awaited before a container is disposed (the data store reads back what its commands wrote); its errors are ignored; undefined: nothing to wait for
   */
  constructor(private readonly source: PoolSource, private readonly beforeDispose?: (lease: ContainerLease) => Promise<void> | undefined) {}

  /**
   * A container for `spec`, for an Exec given the secrets `secretNames`: a reusable one if there is one,
   * else a new one from the runtime.
   */
  async acquire(spec: ContainerSpec, signal: AbortSignal, secretNames: Iterable<string> = []): Promise<{ lease: ContainerLease; reused: boolean }> {
    const key = reuseKey(spec, secretNames);
    const existing = spec.group === GLOBAL_GROUP ? this.idle.get(key)?.pop() : this.groups.get(spec.group)?.get(key);
    if (existing) {
      if (log.enabled) log('container reused', { id: existing.id.slice(0, 12), group: spec.group, image: spec.image });
      return { lease: existing, reused: true };
    }
    const lease = await this.claimWarm(spec, key, signal) ?? await this.create(spec, signal);
    this.live.set(lease, key);
    if (spec.group !== GLOBAL_GROUP) {
      let byKey = this.groups.get(spec.group);
      if (!byKey) this.groups.set(spec.group, (byKey = new Map()));
      byKey.set(key, lease);
    }
    return { lease, reused: false };
  }

  /** Whether the runtime wants containers created ahead of need (its warmContainers capability). */
  get warms(): boolean { return this.source.warms; }

  /**
   * True when an acquire of `spec` now would create a container: its group holds none with the key (a
   * "new" group), or no container of the run has the key (global: a busy one becomes idle again).
   */
  wouldCreate(spec: ContainerSpec, secretNames: Iterable<string> = []): boolean {
    const key = reuseKey(spec, secretNames);
    if (this.warm.has(warmKey(spec.group, key))) return false;
    if (spec.group !== GLOBAL_GROUP) return !this.groups.get(spec.group)?.has(key);
    for (const k of this.live.values()) if (k === key) return false;
    return true;
  }

  /**
   * Starts creating the container an acquire of `spec` will want, so that acquire finds it ready. Only
   * for a spec that wouldCreate(); a failure here is forgotten (the acquire then creates its own).
   */
  prewarm(spec: ContainerSpec, secretNames: Iterable<string> = []): void {
    const key = reuseKey(spec, secretNames);
    const abort = new AbortController();
    if (log.enabled) log('container prewarmed', { group: spec.group, image: spec.image });
    const lease = this.source.session().acquire(spec, abort.signal);
    lease.catch(() => undefined); // claimWarm or discardWarm awaits it; a rejection must not go unhandled
    this.warm.set(warmKey(spec.group, key), { lease, abort });
  }

  /** Drops the warm container made for `spec` (its Exec will not start soon): it is removed. */
  discardWarm(spec: ContainerSpec, secretNames: Iterable<string> = []): void {
    const k = warmKey(spec.group, reuseKey(spec, secretNames));
    const entry = this.warm.get(k);
    if (!entry) return;
    this.warm.delete(k);
    this.disposeWarm(entry);
  }

  /**
   * Hands a container back after a command. One whose command was killed or failed in the runtime
   * is disposed: its state is unknown, so nothing else may land in it.
   */
  release(spec: ContainerSpec, lease: ContainerLease, healthy: boolean): void {
    const key = this.live.get(lease);
    if (key === undefined) return; // already disposed
    if (!healthy) {
      if (log.enabled) log('container discarded', { id: lease.id.slice(0, 12), group: spec.group, why: 'its command was killed or failed in the runtime' });
      const byKey = this.groups.get(spec.group);
      if (byKey?.get(key) === lease) byKey.delete(key);
      this.dispose(lease);
      return;
    }
    if (spec.group !== GLOBAL_GROUP) return; // stays with its group until the owner finishes
    let stack = this.idle.get(key);
    if (!stack) this.idle.set(key, (stack = []));
    stack.push(lease);
  }

  /** Disposes a "new" group's containers (its owner finished). */
  disposeGroup(group: string): void {
    const byKey = this.groups.get(group);
    if (!byKey) return;
    this.groups.delete(group);
    for (const lease of byKey.values()) this.dispose(lease);
  }

  /** Disposes every container and waits until all disposals settled. */
  async disposeAll(): Promise<void> {
    for (const entry of this.warm.values()) this.disposeWarm(entry);
    this.warm.clear();
    for (const lease of [...this.live.keys()]) this.dispose(lease);
    this.idle.clear();
    this.groups.clear();
    const pending = this.disposals;
    this.disposals = [];
    await Promise.all(pending);
  }

  // Idle containers none of which matched: a reason to read when a reuse was expected and did not happen.
  private idleCount(): number { let n = 0; for (const stack of this.idle.values()) n += stack.length; return n; }

  /** A new container from the runtime. */
  private create(spec: ContainerSpec, signal: AbortSignal): Promise<ContainerLease> {
    if (log.enabled) log('container wanted', { group: spec.group, image: spec.image, idleWithOtherKeys: this.idleCount() });
    return this.source.session().acquire(spec, signal);
  }

  /**
   * The warm container made for this group and key, once started; undefined when there is none or its
   * creation failed (the caller then creates one, so a warm-up failure is never the Exec's).
   */
  private async claimWarm(spec: ContainerSpec, key: string, signal: AbortSignal): Promise<ContainerLease | undefined> {
    const k = warmKey(spec.group, key);
    const entry = this.warm.get(k);
    if (!entry) return undefined;
    this.warm.delete(k);
    const cancel = () => entry.abort.abort(signal.reason);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const lease = await entry.lease;
      if (log.enabled) log('container warm', { id: lease.id.slice(0, 12), group: spec.group, image: spec.image });
      return lease;
    } catch {
      return signal.aborted ? Promise.reject(signal.reason) : undefined;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private disposeWarm(entry: { lease: Promise<ContainerLease>; abort: AbortController }): void {
    entry.abort.abort('not needed');
    this.disposals.push(entry.lease.then((lease) => lease.dispose(), () => undefined).catch(() => undefined));
  }

  private dispose(lease: ContainerLease): void {
    if (!this.live.delete(lease)) return;
    // A failed disposal is left for the session's close(), which removes everything labelled with the run.
    const before = this.beforeDispose?.(lease);
    this.disposals.push((before ? before.catch(() => undefined).then(() => lease.dispose()) : lease.dispose()).catch(() => undefined));
  }
}
