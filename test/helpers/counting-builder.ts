/**
 * An ImageBuilder test double that hands every call to a real builder and counts it, so a test can say
 * "no buildx build ran" or "no probe container started" without counters in the production class.
 */
import type { BuildOptions, BuildPlan, GitSource, ImageBuilder, PushTarget } from '../../core/index.ts';

/** Wraps `inner`; `calls` counts each method's invocations. */
export class CountingBuilder implements ImageBuilder {
  /** Invocations so far, by method. */
  readonly calls = { build: 0, inspect: 0, runProbe: 0, fetchGit: 0, gitHead: 0, push: 0 };

  constructor(private readonly inner: ImageBuilder) {}

  build(plan: BuildPlan, opts: BuildOptions): ReturnType<ImageBuilder['build']> { this.calls.build++; return this.inner.build(plan, opts); }
  inspect(refs: readonly string[], signal?: AbortSignal): ReturnType<ImageBuilder['inspect']> { this.calls.inspect++; return this.inner.inspect(refs, signal); }
  runProbe(ref: string, script: string, signal?: AbortSignal): Promise<string> { this.calls.runProbe++; return this.inner.runProbe(ref, script, signal); }
  fetchGit(source: GitSource, signal?: AbortSignal): ReturnType<ImageBuilder['fetchGit']> { this.calls.fetchGit++; return this.inner.fetchGit(source, signal); }
  gitHead(dir: string): Promise<string | undefined> { this.calls.gitHead++; return this.inner.gitHead(dir); }
  push(ref: string, target: PushTarget, signal?: AbortSignal): ReturnType<ImageBuilder['push']> { this.calls.push++; return this.inner.push(ref, target, signal); }
}
