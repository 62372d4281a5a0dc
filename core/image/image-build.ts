/**
 * One image build: the kind plans it (probing bases, building intermediate stages through
 * `buildStage`), then the builder builds the final plan with Caisson's labels. A rebuild re-runs every
 * step of the image's own builds, stages included, instead of answering them from the layer cache or
 * from a stage tag that already exists.
 */
import { mkdirSync } from 'node:fs';
import type { BuildPlan, BuildProgress, ImageBuilder } from './contract.ts';
import type { ImageEvent } from './events.ts';
import type { ImageKind, InputsContext, PlanContext } from './kind.ts';
import { hashCanonical } from './hash.ts';
import type { ImageProber } from './probe.ts';
import { cacheDir } from './cache-dir.ts';
import { imageTag } from './image-tag.ts';

/** Everything one build needs. */
export interface BuildJob {
  builder: ImageBuilder;
  prober: ImageProber;
  /** The image's table name. */
  image: string;
  kind: ImageKind;
  /** The image's params, decoded by the kind's codec. */
  params: unknown;
  /** The content-addressed tag the result gets. */
  tag: string;
  /** The content hash (stage tags derive from it). */
  hash: string;
  /** Re-run every step (no layer cache, no reuse of existing stage tags). */
  rebuild: boolean;
  /** Host CA bundle for install steps. */
  caBundle?: string;
  /** What the inputs of this image were worked out with (its checkouts, memoised by the caller). */
  context: InputsContext;
  /** Receives the build's events (masked by the caller). */
  emit: (e: ImageEvent) => void;
  /** Secret values by name (throws ImageBuildError naming `where` when one is not set). */
  secret: (name: string, where: string) => string;
  /** Secret values by name, undefined when not set. */
  optionalSecret: (name: string) => string | undefined;
}

/** Plans and builds the job's image; resolves to the id of the tagged image. */
export async function buildImage(job: BuildJob): Promise<{ id: string }> {
  const { builder, kind, image, tag, hash } = job;
  const plan = await kind.plan(job.params, planContext(job));
  const labels = { ...plan.labels, 'dev.caisson.image': image, 'dev.caisson.hash': hash, 'dev.caisson.provider': `${kind.kind}@${kind.version}` };
  return builder.build({ ...plan, labels }, { tag, image, noCache: job.rebuild, signal: job.context.signal, onProgress: progressTo(image, job.emit) });
}

/** Build progress as image events. */
const progressTo = (image: string, emit: (e: ImageEvent) => void) => (p: BuildProgress): void =>
  emit(p.type === 'step' ? { type: 'image-step', image, step: p.step, cached: p.cached } : { type: 'image-log', image, step: p.step, line: p.line });

function planContext(job: BuildJob): PlanContext {
  const { builder, image, hash, context } = job;
  const signal = context.signal;
  const emptyContext = cacheDir('empty-context');
  mkdirSync(emptyContext, { recursive: true });
  return {
    ...context,
    caBundle: job.caBundle,
    emptyContext,
    probe: (ref) => job.prober.probe(ref, undefined, signal),
    secret: job.secret,
    optionalSecret: job.optionalSecret,
    gitHead: (dir) => builder.gitHead(dir),
    buildStage: async (plan: BuildPlan, stage: string) => {
      const tag = imageTag(`${image}-${stage}`, hashCanonical({ hash, plan: { ...plan, context: undefined } }));
      if (!job.rebuild && (await builder.inspect([tag], signal)).has(tag)) return tag;
      await builder.build({ ...plan, labels: { ...plan.labels, 'dev.caisson.image': image, 'dev.caisson.stage': stage } }, {
        tag, image, noCache: job.rebuild, signal, onProgress: progressTo(image, job.emit),
      });
      return tag;
    },
  };
}
