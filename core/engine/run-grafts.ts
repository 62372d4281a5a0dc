/**
 * A run's lazy nodes: a generator's output validated and its images resolved (prepare), grafted into the
 * tree and the run's IR with one `graft` event (apply), and taken back to the placeholder when a reset
 * reaches the generator, so the next run of it regenerates the subtree (ungraftUnder).
 */
import type { ImageSpec, Node, PipelineIR } from '../ir/index.ts';
import type { Clock } from './clock.ts';
import type { RunEvent } from './events.ts';
import { decodeGraft } from './graft-decode.ts';
import { inheritedFrom, placeholderNode } from './graft-fill.ts';
import type { RunExec, RunGroup, RunNode } from './run-node.ts';
import type { RunTree } from './run-tree.ts';
import type { RunImage } from './types.ts';

/** A generated subtree ready to graft. */
export interface PreparedGraft {
  /** The graft point's path. */
  target: string;
  /** The generator's path and attempt. */
  generator: string;
  /** Which attempt of the generator wrote it. */
  attempt: number;
  /** The validated subtree. */
  node: Node;
  /** Images it adds to the run's table. */
  images: Record<string, ImageSpec>;
  /** What the added images that are not plain references resolved to. */
  resolved: Record<string, string | RunImage>;
}

/** Resolves (builds on demand) images a generated subtree adds; see CreateRunOptions.resolveImages. */
export type ResolveImages = (specs: ImageSpec[], signal: AbortSignal) => Promise<Record<string, string | RunImage>>;

/** What RunGrafts needs from its Run. */
export interface GraftHost {
  /** The run's IR copy (its images table grows with grafts). */
  ir(): PipelineIR;
  /** The run's tree. */
  tree: RunTree;
  /** The engine clock, for event times. */
  clock: Clock;
  /** Publishes the graft event. */
  emit(e: RunEvent): void;
  /** Secret names the run read when it started. */
  secretNames(): ReadonlySet<string>;
  /** Builds images a graft adds; undefined = only plain references can be added. */
  resolveImages: ResolveImages | undefined;
  /** Hands resolved images to the run. */
  useImages(images: Record<string, string | RunImage>): void;
  /** Stops what is queued or running at or under a node (reset semantics). */
  stopUnder(n: RunNode): void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** See the module comment. */
export class RunGrafts {
  constructor(private readonly host: GraftHost) {}

  /** The graft point of generator `n` and its path, or why there is none. */
  private targetOf(n: RunExec): { parent: RunGroup; into: string; path: string } | { reason: string } {
    const into = n.ir.graft?.into;
    const parent = n.parent;
    if (!into || !parent || !parent.ir.children.some((c) => c.name === into)) return { reason: `${n.path}: graft.into: no sibling named ${JSON.stringify(into)} to graft the generated subtree at` };
    return { parent, into, path: `${parent.path}/${into}` };
  }

  /** `text` (what generator `n` wrote) validated, with the images it adds resolved. */
  async prepare(n: RunExec, text: string, signal: AbortSignal): Promise<PreparedGraft | { reason: string }> {
    const target = this.targetOf(n);
    if ('reason' in target) return target;
    const ir = this.host.ir();
    const decoded = decodeGraft(text, {
      path: target.path, limits: n.ir.graft!, inherited: inheritedFrom(target.parent.ir, n.ir.container), images: ir.images, secrets: this.host.secretNames(),
    });
    if ('reason' in decoded) return decoded;
    const toBuild = Object.values(decoded.images).filter((spec) => spec.kind !== 'ref');
    let resolved: Record<string, string | RunImage> = {};
    if (toBuild.length) {
      const names = toBuild.map((s) => `"${s.name}"`).join(', ');
      if (!this.host.resolveImages) return { reason: `${target.path}: the generated subtree defines image ${names}, and this run has no image service to build it; register it at the top of the pipeline (registerImage) and use it by name` };
      try {
        resolved = await this.host.resolveImages(toBuild, signal);
      } catch (err) {
        return { reason: `${target.path}: image ${names} of the generated subtree: ${messageOf(err)}` };
      }
    }
    return { target: target.path, generator: n.path, attempt: n.attempt, node: decoded.node, images: decoded.images, resolved };
  }

  /** Grafts a prepared subtree: the tree, the run's IR and images, then one graft event. */
  apply(g: PreparedGraft): void {
    const { tree } = this.host;
    const ir = this.host.ir();
    ir.images = { ...ir.images, ...g.images };
    this.host.useImages(g.resolved);
    tree.replace(tree.get(g.target), g.node);
    this.host.emit({ type: 'graft', at: this.host.clock.now(), path: g.target, generator: g.generator, attempt: g.attempt, node: g.node, images: g.images, resolved: g.resolved });
  }

  /**
   * A reset reached the generators at or under `n`: their grafted subtrees go back to placeholders
   * (what ran there is stopped first), so the next run of each regenerates it. True when any did.
   */
  ungraftUnder(n: RunNode): boolean {
    let changed = false;
    const generators: RunExec[] = [];
    const visit = (d: RunNode) => { if (d.kind === 'exec' && d.ir.graft) generators.push(d); for (const c of d.children) visit(c); };
    visit(n);
    for (const g of generators) {
      const target = this.targetOf(g);
      if ('reason' in target) continue;
      const at = this.host.tree.get(target.path);
      if (at.ir.kind === 'serial' && at.ir.placeholder !== undefined) continue;
      this.host.stopUnder(at);
      this.host.tree.replace(at, placeholderNode(target.parent.ir, target.into, g.path));
      changed = true;
    }
    return changed;
  }
}
