/**
 * The image contracts. An image kind (kind.ts) turns one kind of definition into a BuildPlan (context,
 * Dockerfile text, build args, secrets, labels); one ImageBuilder (plugins/buildkit) builds plans and
 * looks into images. Core hashes and decides what to build; it never runs docker itself.
 */

/** What one build needs: everything `docker buildx build` gets, as data. */
export interface BuildPlan {
  /** Absolute build context directory. */
  context: string;
  /** The Dockerfile text (never a `# syntax=` line: no frontend can be pulled). */
  dockerfile: string;
  /** Ignore rules for this build (written as `Dockerfile.dockerignore` beside the temp Dockerfile); default: the context's own. */
  ignore?: string;
  /** `--build-arg` values for ARGs the Dockerfile declares. */
  buildArgs?: Record<string, string>;
  /** BuildKit secrets: id → absolute host file; mounted by `RUN --mount=type=secret,id=…`, never stored in a layer. */
  secrets?: Record<string, string>;
  /**
   * BuildKit secrets given by value: id → value. The builder writes each to a 0600 file of the build's
   * temp folder (removed after the build, on signals too) and mounts it like `secrets`; a value never
   * reaches a command line, a layer, the history or a log.
   */
  secretValues?: Record<string, string>;
  /** Labels put on the built image. */
  labels?: Record<string, string>;
}

/** What a build reports while it runs (turned into ImageEvents by the service). */
export type BuildProgress =
  | { type: 'step'; step: string; cached: boolean }
  | { type: 'log'; step: string; line: string };

/** How one build runs. */
export interface BuildOptions {
  /** The tag the result gets. */
  tag: string;
  /** The image's table name, for messages. */
  image: string;
  /** Re-run every step instead of answering it from the layer cache (a rebuild). */
  noCache?: boolean;
  /** Cancels the build. */
  signal?: AbortSignal;
  /** Told of each step and log line. */
  onProgress?: (p: BuildProgress) => void;
}

/** One image as `docker image inspect` shows it. */
export interface InspectedImage {
  /** Image id (sha256:…). */
  id: string;
  /** Config.User ("" = root). */
  user: string;
  /** Config.Entrypoint ([] when none). */
  entrypoint: string[];
  /** Config.WorkingDir ("" when unset). */
  workdir: string;
  /** Config.Labels ({} when none). */
  labels: Record<string, string>;
}

/** The one place that runs docker for images (plugins/buildkit implements it). */
export interface ImageBuilder {
  /**
   * Builds `plan` and tags the result with `tag`; resolves to the image id. `noCache` re-runs every step
   * instead of answering it from the layer cache (a rebuild).
   */
  build(plan: BuildPlan, opts: BuildOptions): Promise<{ id: string }>;
  /** Inspects references; ones that do not exist (or are not valid references) are absent from the map. */
  inspect(refs: readonly string[], signal?: AbortSignal): Promise<Map<string, InspectedImage>>;
  /** Runs `script` with `sh -c` in a throwaway container of `ref`, entrypoint overridden; resolves to stdout. */
  runProbe(ref: string, script: string, signal?: AbortSignal): Promise<string>;
  /**
   * Clones `source.url`'s branch on the host (or updates an earlier clone) and resolves to the checkout.
   * The credential, if any, must reach git out of band: never on a command line, in the clone's config
   * or in an error message.
   */
  fetchGit(source: GitSource, signal?: AbortSignal): Promise<GitCheckoutResult>;
  /** The commit HEAD of a local checkout, or undefined when git cannot tell. */
  gitHead(dir: string): Promise<string | undefined>;
  /**
   * Publishes the local image `ref` for other machines (a Swarm's nodes): tags it
   * `<registry>/<repository>:<tag>`, pushes that tag, and resolves to the registry's digest reference
   * (`<registry>/<repository>@sha256:…`), which every node pulls the same image by. When the registry
   * already holds that tag at the digest this image was pushed as, nothing is pushed (`pushed: false`).
   * A `ref` missing locally is pulled first. A registry that does not answer is a RuntimeUnavailableError
   * naming the registry and the image; any other refusal an ImageBuildError with the tool's output tail.
   */
  push(ref: string, target: PushTarget, signal?: AbortSignal): Promise<PushResult>;
}

/** Where `ImageBuilder.push` puts an image. */
export interface PushTarget {
  /** The image's table name, for messages. */
  image: string;
  /** The registry, `host[:port]` ("127.0.0.1:5000"). */
  registry: string;
  /** The repository in it ("caisson/tools"). */
  repository: string;
  /**
   * The tag to push (a built image's content tag); default: the first 12 hex digits of the local image
   * id, so a plain reference gets a content tag too.
   */
  tag?: string;
}

/** What `ImageBuilder.push` resolved to. */
export interface PushResult {
  /** The digest reference, `<registry>/<repository>@sha256:…`: what containers on any node run from. */
  ref: string;
  /** The tag reference that was (or already had been) pushed, `<registry>/<repository>:<tag>`. */
  tag: string;
  /** The local image id (sha256:…). */
  id: string;
  /** False when the registry already had the tag at this image's digest and nothing was pushed. */
  pushed: boolean;
}

/** A git branch to check out on the host for a copyUrl image. */
export interface GitSource {
  /** The image's table name, for messages. */
  image: string;
  /** Repository URL without userinfo. */
  url: string;
  /** The branch to clone (copyBranch); its head is what the image copies. */
  branch: string;
  /** Basic-auth credential (the copyCredentials secret, read for this build); never part of `url`. */
  credential?: { username: string; password: string };
}

/** Package manager families the generated Dockerfile knows (docs/conducto-semantics.md#generated-dockerfile). */
export type DistroFlavor = 'apt' | 'apk' | 'yum' | 'dnf';

/** What probing an image found (docs/conducto-semantics.md#probing). */
export interface ProbeResult {
  /** os-release ID, VERSION_ID, PRETTY_NAME ("" when the image has no os-release). */
  distro: { id: string; versionId: string; prettyName: string };
  /** Package manager family, when the distro is one the generated Dockerfile supports. */
  flavor?: DistroFlavor;
  /** Configured user ("" = root). */
  user: string;
  /** Config.Entrypoint ([] when none). */
  entrypoint: string[];
  /** Config.WorkingDir ("" when unset). */
  workdir: string;
  /** A python >= 3.5, when there is one. */
  python?: { bin: string; version: string };
  /** Whether pip3 or pip is on the PATH. */
  pip: boolean;
  /** Absolute path of the first of bash, ash, zsh, sh found. */
  shell?: string;
}

/** A git source cloned on the host. */
export interface GitCheckoutResult {
  /** The clone's directory (the build context). */
  dir: string;
  /** Commit the branch points at. */
  sha: string;
}
