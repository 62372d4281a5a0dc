/**
 * Declared artifacts during a run: before an Exec's command, the outputs its inputs name are checked
 * (each producer ended done and left them) and copied into its container; after a command that ended
 * done, its outputs are copied out, normalised and stored. Everything moves through the lease's
 * archive calls, never a host path, so a container on another machine works the same.
 */
import { posix } from 'node:path';
import type { ContainerLease } from '../runtime/index.ts';
import type { ExecNode } from '../ir/index.ts';
import type { ArtifactStore } from './artifact-store.ts';
import { globRegExp, isGlob, staticPrefix } from './glob.ts';
import { readTar, writeTar, type TarEntry } from './tar.ts';

/** What RunArtifacts needs to know about a node of the run. */
export interface ArtifactNode {
  /** Its path. */
  readonly path: string;
  /** Its kind (outputs are read from an Exec's IR). */
  readonly kind: 'exec' | 'serial' | 'parallel';
  /** Its current state. */
  readonly state: string;
  /** Why it is in that state. */
  readonly reason?: string;
  /** Its IR (an Exec's has its outputs). */
  readonly ir: object;
  /** Its children. */
  readonly children: readonly ArtifactNode[];
  /** Its parent (undefined for the root). */
  readonly parent?: ArtifactNode | undefined;
  /** Skip set on this very node (an ancestor's skips it too). */
  readonly skipFlag?: boolean;
}

const skipped = (n: ArtifactNode | undefined): boolean => { for (let at = n; at; at = at.parent) if (at.skipFlag) return true; return false; };

/** One stored archive to put into the consumer, under `dest` (relative to its working dir, or absolute). */
export interface Delivery { dest: string; tar: Buffer; names: readonly TarEntry[] }

/** What the inputs of one Exec bring, or why it cannot start. */
export type Gathered = { ok: true; deliveries: Delivery[] } | { ok: false; reason: string };

/** Reads a tar stream into one buffer. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  const asBuffer = (chunk: Uint8Array) => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const events = stream as Partial<NodeJS.ReadableStream>;
  if (typeof events.on === 'function') {
    // A Node stream in flowing mode: measured ~1.5x faster than async iteration for 100 MB from Docker.
    const node = stream as unknown as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      node.on('data', (chunk: Uint8Array) => parts.push(asBuffer(chunk)));
      node.on('end', () => resolve());
      node.on('error', reject);
    });
  } else {
    for await (const chunk of stream) parts.push(asBuffer(chunk));
  }
  return Buffer.concat(parts);
}

const outputsOf = (n: ArtifactNode): readonly string[] => ('outputs' in n.ir && Array.isArray(n.ir.outputs) ? n.ir.outputs as readonly string[] : []);

const byName = (a: TarEntry, b: TarEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The per-run artifact logic the exec runner calls; see the module comment. */
export class RunArtifacts {
  /**
   * @param store where artifacts are kept
   * @param runtime the runtime's name, for "cannot copy files" messages
   * @param nodeAt the run's node at a path (undefined when unknown)
   * @param now wall-clock ms for records
   */
  constructor(
    readonly store: ArtifactStore,
    private readonly runtime: string,
    private readonly nodeAt: (path: string) => ArtifactNode | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Execs at or under `path` that declare outputs. */
  private producers(node: ArtifactNode): ArtifactNode[] {
    if (node.kind === 'exec') return outputsOf(node).length ? [node] : [];
    return node.children.flatMap((c) => this.producers(c));
  }

  /**
   * Checks an Exec's inputs and reads what they bring, before any container is taken: a producer that
   * did not end done fails the consumer with a reason naming it. Entry names are where they land,
   * relative to the consumer's working dir (or absolute, for an absolute `to`).
   */
  gather(ir: ExecNode): Gathered {
    const deliveries: Delivery[] = [];
    const owner = new Map<string, string>();
    const records = this.store.list();
    for (const input of ir.inputs ?? []) {
      const from = this.nodeAt(input.from);
      if (!from) return { ok: false, reason: `input ${input.from}: no such node in this run` };
      const dest = input.to ?? '.';
      for (const producer of this.producers(from)) {
        const outputs = outputsOf(producer).filter((o) => input.output === undefined || o === input.output);
        if (!outputs.length) continue;
        if (skipped(producer)) return { ok: false, reason: `input from ${producer.path}: the producer was skipped, so its outputs do not exist` };
        if (producer.state !== 'done') {
          const why = producer.reason ? ` (${producer.reason})` : '';
          return { ok: false, reason: `input from ${producer.path}: the producer ended ${producer.state}${why}, not done, so its outputs do not exist` };
        }
        for (const output of outputs) {
          const record = records.find((r) => r.node === producer.path && r.output === output);
          if (!record) return { ok: false, reason: `input from ${producer.path}: it ended done but its output ${JSON.stringify(output)} is not in the run record` };
          const tar = this.store.read(record.sha256);
          const names = readTar(tar);
          for (const e of names) {
            const name = posix.join(dest, e.name);
            if (e.type === 'dir') continue;
            const earlier = owner.get(name);
            if (earlier !== undefined && earlier !== producer.path) {
              return { ok: false, reason: `inputs collide: ${name} comes from both ${earlier} and ${producer.path}; give one of them another "to"` };
            }
            owner.set(name, producer.path);
          }
          deliveries.push({ dest, tar, names });
        }
      }
    }
    return { ok: true, deliveries };
  }

  /** Puts gathered archives into the container under `base`; the reason it could not, or undefined. */
  async deliver(lease: ContainerLease, path: string, deliveries: readonly Delivery[], base: string): Promise<string | undefined> {
    if (!deliveries.length) return undefined;
    if (!lease.putArchive) return `the ${this.runtime} runtime cannot copy files into containers; ${path} declares inputs`;
    for (const d of deliveries) {
      const dest = posix.resolve(base, d.dest);
      // The stored archive as it is, into its folder; a put needs that folder to exist, so when it does
      // not, the entries go again with full names from "/" (the runtime creates the folders on the way).
      try {
        await lease.putArchive(dest, d.tar);
      } catch {
        await lease.putArchive('/', writeTar(d.names.map((e) => ({ ...e, name: posix.join(dest, e.name).slice(1) }))));
      }
    }
    return undefined;
  }

  /** The artifacts attempt `attempt` of `path` stored, with their archives (what a result cache keeps). */
  produced(path: string, attempt: number): Array<{ output: string; size: number; files: number; tar: Buffer }> {
    return this.store.list().filter((r) => r.node === path && r.attempt === attempt)
      .map((r) => ({ output: r.output, size: r.size, files: r.files, tar: this.store.read(r.sha256) }));
  }

  /** Stores artifacts a cache hit brings back as attempt `attempt` of `path`, so its consumers find them. */
  restore(path: string, attempt: number, artifacts: ReadonlyArray<{ output: string; size: number; files: number; tar: Buffer }>): void {
    for (const a of artifacts) this.store.save({ node: path, attempt, output: a.output, size: a.size, files: a.files, at: this.now() }, a.tar);
  }

  /**
   * Copies an Exec's outputs out of its container and stores them; the reason it could not (an output
   * missing, a glob matching nothing), or undefined.
   */
  async capture(lease: ContainerLease, path: string, attempt: number, outputs: readonly string[], base: string): Promise<string | undefined> {
    if (!outputs.length) return undefined;
    if (!lease.getArchive) return `the ${this.runtime} runtime cannot copy files out of containers; ${path} declares outputs`;
    const found: Array<{ output: string; entries: TarEntry[] }> = [];
    for (const output of outputs) {
      const glob = isGlob(output);
      const root = glob ? staticPrefix(output) : output;
      const abs = posix.join(base, root);
      const stream = await lease.getArchive(abs);
      if (!stream) return `output ${JSON.stringify(output)}: nothing at ${abs} when the command ended`;
      const parent = posix.dirname(root);
      let entries = readTar(await collect(stream)).map((e) => ({ ...e, name: parent === '.' ? e.name : `${parent}/${e.name}` }));
      if (glob) {
        const re = globRegExp(output);
        entries = entries.filter((e) => e.type !== 'dir' && re.test(e.name));
        if (!entries.length) return `output ${JSON.stringify(output)}: no file under ${abs} matches it`;
      }
      found.push({ output, entries: entries.sort(byName) });
    }
    // Stored only once every output was found: a node's artifacts are all there or none are.
    for (const { output, entries } of found) {
      const files = entries.filter((e) => e.type !== 'dir');
      const size = files.reduce((n, e) => n + (e.data?.length ?? 0), 0);
      this.store.save({ node: path, attempt, output, size, files: files.length, at: this.now() }, writeTar(entries));
    }
    return undefined;
  }
}
