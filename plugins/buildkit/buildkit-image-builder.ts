/**
 * The BuildKit builder: `docker buildx build --load --progress=rawjson --metadata-file` for builds,
 * `docker image inspect` per reference, `docker run --rm --entrypoint sh` for
 * probes, and `docker tag` + `docker push` to publish to a registry (registry-push.ts). The Dockerfile is written to a temp directory with `Dockerfile.dockerignore` beside it
 * (BuildKit's per-Dockerfile ignore file), so the context directory is never touched; that directory
 * goes when the build ends, and on signals too (build-dirs.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions, BuildPlan, GitCheckoutResult, GitSource, ImageBuilder, InspectedImage, PushResult, PushTarget } from '../../core/plugin-kit.ts';
import { debugLog, ImageBuildError, scrubText } from '../../core/plugin-kit.ts';
import { docker, dockerFailed, throwIfUnreachable } from './docker-cli.ts';
import { mapLimit } from './map-limit.ts';
import { inspectOverSocket, localEngineSocket } from './engine-inspect.ts';
import { makeBuildDir } from './build-dirs.ts';
import { RawJsonProgress } from './rawjson-progress.ts';
import { fetchGitSource, gitHead } from './git-source.ts';
import { pushImage } from './registry-push.ts';

const log = debugLog('build');

/** Inspect calls at once: enough to hide process start-up, few enough for a 2-core machine. */
const INSPECT_CONCURRENCY = 4;

/** The part of `docker image inspect` JSON that InspectedImage is read from. */
interface RawInspect { Id: string; Config?: { User?: string; Entrypoint?: string[] | null; WorkingDir?: string; Labels?: Record<string, string> | null } }

/**
 * The ImageBuilder that runs the docker CLI: builds plans with BuildKit (`docker buildx build --load`),
 * inspects images and runs probe containers. Register it with the `buildkit()` plugin.
 */
export class BuildKitImageBuilder implements ImageBuilder {
  /**
   * @param options.network the network of RUN steps (`--network`), e.g. "host" to reach a package index
   *   on the host's loopback; default: the engine's (a bridge)
   */
  constructor(private readonly options: { network?: string } = {}) {}

  /** Builds `plan`, tags it `tag`, resolves to the image id (from the metadata file's config digest); `noCache` is `--no-cache`. */
  async build(plan: BuildPlan, opts: BuildOptions): Promise<{ id: string }> {
    if (/^\s*#\s*syntax\s*=/im.test(plan.dockerfile)) throw new ImageBuildError(opts.image, 'the Dockerfile has a "# syntax=" line, which needs a frontend image from a registry; remove it (the engine\'s built-in frontend is used)');
    const { dir, remove } = makeBuildDir();
    try {
      const dockerfile = join(dir, 'Dockerfile');
      writeFileSync(dockerfile, plan.dockerfile);
      if (plan.ignore !== undefined) writeFileSync(`${dockerfile}.dockerignore`, plan.ignore);
      const metadata = join(dir, 'metadata.json');
      const args = ['buildx', 'build', '--load', '--progress=rawjson', '--metadata-file', metadata, '-t', opts.tag, '-f', dockerfile];
      if (opts.noCache) args.push('--no-cache');
      if (this.options.network) args.push('--network', this.options.network);
      for (const [k, v] of Object.entries(plan.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
      for (const [id, src] of Object.entries(plan.secrets ?? {})) args.push('--secret', `id=${id},src=${src}`);
      for (const [id, value] of Object.entries(plan.secretValues ?? {})) {
        // Only the file's path is on the command line (host ps shows argv); the folder is 0700 and goes after the build.
        const src = join(dir, `secret-${id}`);
        writeFileSync(src, value, { mode: 0o600 });
        args.push('--secret', `id=${id},src=${src}`);
      }
      for (const [k, v] of Object.entries(plan.labels ?? {})) args.push('--label', `${k}=${v}`);
      // "--": the context is positional, never a flag, whatever its name.
      args.push('--', plan.context);
      log('build', { image: opts.image, tag: opts.tag, context: plan.context, noCache: opts.noCache, secrets: [...Object.keys(plan.secrets ?? {}), ...Object.keys(plan.secretValues ?? {})], dockerfile: plan.dockerfile });
      const progress = new RawJsonProgress((p) => opts.onProgress?.(p));
      const result = await docker(args, { signal: opts.signal, onStderr: (chunk) => progress.push(chunk) });
      if (result.exitCode !== 0) {
        if (opts.signal?.aborted) throw new ImageBuildError(opts.image, 'build cancelled');
        const tail = [...progress.tail, ...String(result.stderr).split('\n').filter((l) => !l.startsWith(' ') && !/^[{}]/.test(l)).slice(-3)].join('\n');
        // A failing RUN may have printed a build secret: the error shows it masked.
        dockerFailed(opts.image, `docker buildx build of ${opts.tag}`, scrubText(tail, Object.values(plan.secretValues ?? {})));
      }
      const meta = JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, string>;
      return { id: meta['containerimage.config.digest'] ?? meta['containerimage.digest'] ?? '' };
    } finally {
      remove();
    }
  }

  /**
   * `docker image inspect` of each reference, a few at a time. Presence is the exit status of that
   * reference's own call, never a reading of error text: the CLI's "no such image" wording differs
   * across CLI and engine versions, and one call for many refs answers in an order a missing ref shifts.
   */
  async inspect(refs: readonly string[], signal?: AbortSignal): Promise<Map<string, InspectedImage>> {
    const unique = [...new Set(refs)];
    const answers = await mapLimit(unique, INSPECT_CONCURRENCY, (ref) => this.inspectOne(ref, signal));
    const found = new Map<string, InspectedImage>();
    unique.forEach((ref, i) => { if (answers[i]) found.set(ref, answers[i]); });
    return found;
  }

  private async inspectOne(ref: string, signal?: AbortSignal): Promise<InspectedImage | undefined> {
    const json = await this.inspectJson(ref, signal);
    if (json === undefined) return undefined;
    const raw = JSON.parse(json) as RawInspect;
    return {
      id: raw.Id,
      user: raw.Config?.User ?? '',
      entrypoint: raw.Config?.Entrypoint ?? [],
      workdir: raw.Config?.WorkingDir ?? '',
      labels: raw.Config?.Labels ?? {},
    };
  }

  /** The inspect JSON of `ref`, undefined when it is not there: from the local socket if it answers, else the CLI. */
  private async inspectJson(ref: string, signal?: AbortSignal): Promise<string | undefined> {
    const socket = localEngineSocket();
    const direct = socket === undefined ? undefined : await inspectOverSocket(socket, ref, signal);
    if (direct) {
      log('image inspect', { ref, over: socket, found: direct.found });
      return direct.found ? direct.json : undefined;
    }
    const result = await docker(['image', 'inspect', '--format', '{{json .}}', '--', ref], { signal });
    if (result.exitCode !== 0) {
      // Not there (or not a valid reference); a daemon that does not answer is an error, not an absence.
      throwIfUnreachable(ref, String(result.stderr));
      return undefined;
    }
    return String(result.stdout);
  }

  /** `docker run --rm --network none --entrypoint sh REF -c SCRIPT`; resolves to stdout. */
  async runProbe(ref: string, script: string, signal?: AbortSignal): Promise<string> {
    const result = await docker(['run', '--rm', '--network', 'none', '--label', 'dev.caisson.probe=1', '--entrypoint', 'sh', '--', ref, '-c', script], { signal });
    if (result.exitCode !== 0 && !String(result.stdout).includes('__caisson_end__')) {
      dockerFailed(ref, `probing ${ref} (docker run --entrypoint sh; does the image have /bin/sh?)`, String(result.stderr));
    }
    return String(result.stdout);
  }

  /** Clones or updates a git source on the host (credential out of band, see git-source.ts). */
  fetchGit(source: GitSource, signal?: AbortSignal): Promise<GitCheckoutResult> {
    return fetchGitSource(source, signal);
  }

  /** The commit HEAD of a local checkout, or undefined. */
  gitHead(dir: string): Promise<string | undefined> {
    return gitHead(dir);
  }

  /** `docker tag` + `docker push` of `ref` as `target` (skipped when the registry has it already); resolves to the digest reference. */
  push(ref: string, target: PushTarget, signal?: AbortSignal): Promise<PushResult> {
    return pushImage(ref, target, signal);
  }
}
