/**
 * The options `image()` accepts: Conducto's Image parameters
 * (docs/conducto-semantics.md#images) in TypeScript names, plus
 * `provider`/`params` for image kinds added by plugins, `buildSecrets` and `copyCredentials` for tokens a
 * build needs, and `dir` for where relative paths resolve from.
 */
import type { ImageKind } from '../image/kind.ts';
import type { SecretRef } from './secret.ts';

/**
 * What `image()` accepts. Relative paths resolve from `dir`, else from the folder of the file that
 * called `image()`. `P` is the params type of a plugin kind given as `provider`.
 */
export interface ImageOptions<P = Record<string, unknown>> {
  /** Base image reference: tag or digest ("node:20", "busybox@sha256:…"). At most one of ref/dockerfile/dockerfileText. */
  ref?: string;
  /** Conducto's name for `ref`; give one or the other. */
  image?: string;
  /** Path to a Dockerfile; the context defaults to its directory. */
  dockerfile?: string;
  /** Inline Dockerfile text; COPY/ADD in it need an explicit `context`. */
  dockerfileText?: string;
  /** `--build-arg K=V` for each entry (with dockerfile / dockerfileText). */
  dockerBuildArgs?: Record<string, string>;
  /**
   * BuildKit secrets for dockerfile / dockerfileText: id → `secret("NAME")`, read when the image builds
   * (the runner's environment, then `.caisson/secrets`) and mounted for `RUN --mount=type=secret,id=ID`.
   * The way to pass a token to a build: unlike a build arg, it never reaches a layer, the history, the IR
   * or a command line, and the image's content address does not depend on it.
   */
  buildSecrets?: Record<string, SecretRef>;
  /** Build context directory for dockerfile / dockerfileText. */
  context?: string;
  /** Local directory copied to /mnt/caisson (its .dockerignore honoured). */
  copyDir?: string;
  /** Git URL cloned on the host and copied to /mnt/caisson; needs copyBranch. No password in it: see copyCredentials. */
  copyUrl?: string;
  /**
   * The token (or password) of copyUrl, or of the origin copyRepo clones with copyBranch: `secret("NAME")`,
   * read when the image builds (the runner's environment, then `.caisson/secrets`) and handed to git
   * out of band. A user name in the URL (`https://bot@host/…`) goes with it; default "x-access-token".
   */
  copyCredentials?: SecretRef;
  /** Branch to clone (with copyUrl, or with copyRepo to clone the origin instead of copying the checkout). */
  copyBranch?: string;
  /** Copy the whole git repository containing the calling file (its checkout, or its origin when copyBranch is set). */
  copyRepo?: boolean;
  /** Set WORKDIR /mnt/caisson after copying code (default true); relpath() results become relative to it. */
  dockerAutoWorkdir?: boolean;
  /** OS packages for the image's package manager (apt, apk, yum, dnf; found by probing). */
  installPackages?: string[];
  /** pip requirements; "./dir" entries are paths inside the copied code, installed from the build context. */
  installPip?: string[];
  /**
   * The package index installPip uses (pip's `index-url`): a URL, or `secret("NAME")` for one holding
   * credentials (read at build time, handed to pip through a BuildKit secret). Default: PIP_INDEX_URL
   * of the environment the image builds in, else PyPI.
   */
  pipIndexUrl?: string | SecretRef;
  /** More indexes installPip looks in (pip's `extra-index-url`), URLs or secrets; default: PIP_EXTRA_INDEX_URL (space-separated). */
  pipExtraIndexUrls?: Array<string | SecretRef>;
  /** npm packages, or true for `npm i` in /mnt/caisson. */
  installNpm?: string[] | true;
  /** Install Docker (get.docker.com) and an ssh client. */
  installDocker?: boolean;
  /** Host path → path inside the container, for relpath() when code is not copied with copyDir/copyRepo. */
  pathMap?: Record<string, string>;
  /** The name nodes use (`imageName`) and the images-table key. Default: derived from the definition. */
  name?: string;
  /** Shell for script commands; default: probed (bash, ash, zsh, sh). */
  shell?: string;
  /**
   * An image kind added by a plugin: its module (`provider: filesKind`, params typed and checked here), or
   * its name (params checked when the image resolves).
   */
  provider?: string | ImageKind<P>;
  /** The kind's params (plain JSON), checked by its codec. */
  params?: NoInfer<P>;
  /**
   * The folder relative paths resolve from, absolute: `import.meta.dirname`. Default: the folder of the
   * file that called image(), found from the call stack (a helper that calls image() for its callers
   * should pass its caller's folder on).
   */
  dir?: string;
}

/** Every option name, for the unknown-option error. */
export const IMAGE_OPTION_NAMES: readonly (keyof ImageOptions)[] = [
  'ref', 'image', 'dockerfile', 'dockerfileText', 'dockerBuildArgs', 'buildSecrets', 'context', 'copyDir', 'copyUrl', 'copyBranch',
  'copyCredentials', 'copyRepo', 'dockerAutoWorkdir', 'installPackages', 'installPip', 'pipIndexUrl', 'pipExtraIndexUrls', 'installNpm', 'installDocker',
  'pathMap', 'name', 'shell', 'provider', 'params', 'dir',
];
