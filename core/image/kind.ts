/**
 * An image kind is one module: the codec of its params, how image() options become them, the secrets
 * its build reads, the content its image depends on, and its build plan. The image service keeps a table
 * of them by name and knows nothing else of any kind; the built-in ones (plugins/image-*) are written
 * exactly like a plugin's.
 *
 * Params are what the IR holds for an image of the kind: for a plugin's kind the `params` of its
 * `kind: "custom"` spec, for a built-in one the spec itself (the v1 IR keeps those flat). The service
 * decodes them with the kind's codec before any hook runs, so every hook gets them typed, and a problem
 * is one ImageSpecError naming the image and the field.
 */
import type * as t from 'io-ts';
import type { BuildPlan, GitCheckoutResult, ProbeResult } from './contract.ts';

/** A codec of a kind's params: any io-ts codec (`t.type({ … })`), read as the two functions used. */
export interface ParamsCodec<P> {
  /** Shown in messages. */
  readonly name: string;
  /** Checks and reads unknown input (the IR's JSON, what image() was given). */
  decode(input: unknown): t.Validation<P>;
  /** The JSON the IR stores. */
  encode(params: P): unknown;
}

/** What a kind's `fromOptions` gets: where the image is being defined. */
export interface DefineContext {
  /** The image's name (given, or the one it will get), for messages. */
  readonly image: string;
  /** The folder relative paths resolve from: image({ dir }), else the folder of the file that called image(). */
  readonly dir: string;
}

/** A git branch to clone on the host for an image; `credentials` names the secret holding its token. */
export interface GitSourceRef {
  /** Repository URL; a user name in it (`https://bot@host/…`) goes with the token, anything else of its user info is refused earlier. */
  url: string;
  branch: string;
  /** Secret name of the token or password (read like secret(): the runner's environment, then `.caisson/secrets`). */
  credentials?: string;
}

/** What the service lends a kind while it works out an image's content address (every resolve, built or not). */
export interface InputsContext {
  /** The image's table name, for messages. */
  readonly image: string;
  /** Cancels checkouts. */
  readonly signal?: AbortSignal;
  /** The host clone of a git branch, fetched once per resolve, the credential read from the run's secrets. */
  checkout(source: GitSourceRef): Promise<GitCheckoutResult>;
}

/** What the service lends a kind while it plans a build. */
export interface PlanContext extends InputsContext {
  /** Probes an image (cached by image id). */
  probe(ref: string): Promise<ProbeResult>;
  /** Builds an intermediate plan (e.g. the user's Dockerfile before installs) and returns a reference to it. */
  buildStage(plan: BuildPlan, stage: string): Promise<string>;
  /** The commit HEAD of a local checkout (copyRepo copied from the working tree), or undefined. */
  gitHead(dir: string): Promise<string | undefined>;
  /**
   * The value of secret `name` for this build (the runner's environment, then `.caisson/secrets`), masked
   * in every event and error; `where` ("buildSecrets: NPM_TOKEN") names what needs it when it is not set.
   */
  secret(name: string, where: string): string;
  /** The value of secret `name` when it is set anywhere (e.g. PIP_INDEX_URL), masked likewise; else undefined. */
  optionalSecret(name: string): string | undefined;
  /** Host CA bundle to mount into install steps, when configured. */
  readonly caBundle?: string;
  /** An empty directory, for builds that copy nothing. */
  readonly emptyContext: string;
}

/** One kind of image, as a module. Contribute it from a plugin; two modules for one name is a startup error. */
export interface ImageKind<P = unknown> {
  /** The kind's name: a custom spec's `provider` (`image({ provider: thisKind })`), or a built-in spec's `kind`. */
  readonly kind: string;
  /** Bump when the same params would now build differently: it is part of every content address. */
  readonly version: string;
  /** Codec of the params; image() and the service decode with it. */
  readonly params: ParamsCodec<P>;
  /**
   * How image() options become params, after decoding (e.g. relative paths resolved against `ctx.dir`).
   * Runs while the pipeline file loads: no host access here (that belongs in `inputs`). Default: as decoded.
   */
  fromOptions?(params: NoInfer<P>, ctx: DefineContext): NoInfer<P>;
  /** Names of the secrets the build reads through `ctx.secret`, so a runner knows to look for values. */
  secretNames?(params: NoInfer<P>): readonly string[];
  /**
   * What the image depends on beyond its params (file trees, a git commit), with the host checks that go
   * with reading it (a path that must exist). Part of the content address; runs on every resolve.
   */
  inputs?(params: NoInfer<P>, ctx: InputsContext): unknown;
  /** The build plan of the final image. */
  plan(params: NoInfer<P>, ctx: PlanContext): BuildPlan | Promise<BuildPlan>;
}

/** Declares an image kind; `P` is read off the params codec alone (the hooks' NoInfer), so every hook is typed by it. */
export function defineImageKind<P>(kind: ImageKind<P>): ImageKind<P> {
  return Object.freeze({ ...kind });
}
