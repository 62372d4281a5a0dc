/**
 * image() options → an IR ImageSpec: picks the kind, makes paths absolute against the defining folder,
 * infers pathMap from copyDir/copyRepo, and enforces the rules (image-checks.ts), each as an
 * ImageSpecError naming the image and the option. Conducto's options are one surface that chooses among
 * the three built-in kinds by how they combine, so that choice is made here, when the pipeline file
 * loads, before any plugin is wired (compile() needs no Caisson instance); everything after the IR is
 * the kinds' own (plugins/image-*). A plugin's kind given as a module (`provider: filesKind`) has its
 * params decoded and shaped by that module right here.
 */
import { basename, resolve } from 'node:path';
import type { ImageSpec } from '../ir/codecs.ts';
import { decodeImageParams } from '../ir/image-params.ts';
import { ImageSpecError } from '../errors.ts';
import type { ImageKind } from '../image/kind.ts';
import { isUnreadableCredentialUrl, stripUserinfo, urlUserinfo } from '../secrets/url-userinfo.ts';
import { checkRules, checkTypes, type Fail } from './image-checks.ts';
import { findGitCheckout } from './git-checkout.ts';
import type { ImageOptions } from './image-options.ts';
import { isSecret, type SecretRef } from './secret.ts';

/** Where copied code lands inside images. */
export const CODE_DIR = '/mnt/caisson';
/** Base image for installs/copies when no `ref` is given (as Conducto: a Debian base). */
export const DEFAULT_BASE_REF = 'debian:bookworm-slim';

/** A plugin kind's spec: the module decodes and shapes the params; the IR stores what its codec encodes. */
function customSpec(o: ImageOptions<unknown>, dir: string, label: string): Record<string, unknown> {
  if (typeof o.provider === 'string') return { kind: 'custom', name: '', provider: o.provider, dir, params: o.params ?? {} };
  const kind = o.provider as ImageKind<unknown>;
  let params = decodeImageParams(kind.params, o.params ?? {}, label, 'params');
  if (kind.fromOptions) params = kind.fromOptions(params, { image: label, dir });
  return { kind: 'custom', name: '', provider: kind.kind, dir, params: kind.params.encode(params) };
}

/**
 * The URL copyRepo with copyBranch clones: the checkout's origin, with no password kept. A password in
 * it (a CI checkout's token) is the host's, not the pipeline's: it must come in as copyCredentials.
 */
function originToClone(origin: string, root: string, credentials: SecretRef | undefined, fail: Fail): string {
  const { username, password } = urlUserinfo(origin);
  if (!username && !password) return origin;
  if (!/^https?:/i.test(origin) && !password) return origin; // ssh://git@…: a user, not a credential
  if (!credentials) fail('copyRepo', `the origin URL of ${root} holds a credential (not shown), which Caisson does not copy into a pipeline; pass the token as copyCredentials: secret("NAME")`);
  // The user name stays when there was a password beside it ("gitlab-ci-token:…"); a lone one may be a token.
  return password ? stripUserinfo(origin).replace('://', `://${encodeURIComponent(username ?? '')}@`) : stripUserinfo(origin);
}

/** Normalises validated options into the spec of the right kind (name filled in by the caller). */
export function buildImageSpec(o: ImageOptions<unknown>, dir: string, label: string): ImageSpec {
  const fail: Fail = (option, message) => { throw new ImageSpecError(label, `${option}: ${message}`, { option }); };
  checkTypes(o, fail);
  checkRules(o, fail);
  const common: Record<string, unknown> = {};
  if (o.shell) common.shell = o.shell;
  const pathMap: Record<string, string> = {};
  for (const [host, inside] of Object.entries(o.pathMap ?? {})) pathMap[resolve(dir, host)] = inside;
  if (o.provider) return finish({ ...customSpec(o, dir, label), ...common }, pathMap);

  const req: Record<string, unknown> = {};
  if (o.installPackages?.length) req.installPackages = [...o.installPackages];
  if (o.installPip?.length) req.installPip = [...o.installPip];
  // Secrets by name only ({ secret: NAME }, as secret() serialises): read when the image builds.
  const indexUrl = (v: string | SecretRef) => (isSecret(v) ? { secret: v.name } : v);
  if (o.pipIndexUrl !== undefined) req.pipIndexUrl = indexUrl(o.pipIndexUrl);
  if (o.pipExtraIndexUrls !== undefined) req.pipExtraIndexUrls = o.pipExtraIndexUrls.map(indexUrl);
  if (o.installNpm === true || o.installNpm?.length) req.installNpm = o.installNpm === true ? true : [...o.installNpm];
  if (o.installDocker) req.installDocker = true;
  if (o.copyDir) {
    req.copyDir = resolve(dir, o.copyDir);
    pathMap[req.copyDir as string] = CODE_DIR;
  }
  if (o.copyUrl) {
    req.copyUrl = o.copyUrl;
    req.copyBranch = o.copyBranch;
    req.copyGit = true;
  }
  if (o.copyCredentials) req.copyCredentials = o.copyCredentials.name;
  let repoRoot: string | undefined;
  if (o.copyRepo) {
    const checkout = findGitCheckout(dir);
    if (!checkout) fail('copyRepo', `copyRepo: true was specified, but could not find the git root for ${dir}`);
    repoRoot = checkout.root;
    pathMap[repoRoot] = CODE_DIR;
    req.copyGit = true;
    if (o.copyBranch) {
      if (!checkout.originUrl) fail('copyBranch', `copyRepo with copyBranch clones the origin, but ${repoRoot} has no remote "origin"`);
      if (isUnreadableCredentialUrl(checkout.originUrl)) fail('copyRepo', `the origin URL of ${repoRoot} (not shown: it contains "@") is not a valid URL; percent-encode reserved characters in its user name and password`);
      req.copyUrl = originToClone(checkout.originUrl, repoRoot, o.copyCredentials, fail);
      req.copyBranch = o.copyBranch;
    } else {
      req.copyDir = repoRoot;
      if (checkout.originUrl) req.gitUrl = stripUserinfo(checkout.originUrl);
      if (checkout.branch) req.copyBranch = checkout.branch;
    }
  }
  const built = { dir, dockerAutoWorkdir: o.dockerAutoWorkdir ?? true, ...common, ...req };
  if (o.dockerfile || o.dockerfileText) {
    const spec: Record<string, unknown> = { kind: 'dockerfile', name: '', ...built };
    if (o.dockerfile) spec.dockerfile = resolve(dir, o.dockerfile);
    if (o.dockerfileText) spec.dockerfileText = o.dockerfileText;
    const context = o.context ? resolve(dir, o.context) : repoRoot ?? (o.dockerfile ? resolve(spec.dockerfile as string, '..') : undefined);
    if (context) spec.context = context;
    if (o.dockerBuildArgs) spec.buildArgs = { ...o.dockerBuildArgs };
    // Names only: values are read when the image builds.
    if (o.buildSecrets && Object.keys(o.buildSecrets).length) spec.buildSecrets = Object.fromEntries(Object.entries(o.buildSecrets).map(([id, ref]) => [id, ref.name]));
    return finish(spec, pathMap);
  }
  const ref = o.ref ?? o.image;
  if (req.copyUrl) return finish({ kind: 'git', name: '', ref: ref ?? DEFAULT_BASE_REF, ...built }, pathMap);
  if (Object.keys(req).length > 0) return finish({ kind: 'base-reqs', name: '', ref: ref ?? DEFAULT_BASE_REF, ...built }, pathMap);
  if (!ref) fail('ref', 'expected a Docker image reference like "node:20" (or dockerfile, dockerfileText, installs or code to copy)');
  return finish({ kind: 'ref', name: '', ref, ...common }, pathMap);
}

function finish(spec: Record<string, unknown>, pathMap: Record<string, string>): ImageSpec {
  if (Object.keys(pathMap).length) spec.pathMap = pathMap;
  return spec as unknown as ImageSpec;
}

/** A readable default name for a spec: the reference, or the copied/built directory's name plus the kind. */
export function deriveImageName(spec: ImageSpec, nameForRef: (ref: string) => string): string {
  switch (spec.kind) {
    case 'ref': return nameForRef(spec.ref);
    case 'custom': return nameForRef(spec.provider);
    case 'dockerfile': return nameForRef(`${basename(spec.context ?? (spec.dockerfile ? resolve(spec.dockerfile, '..') : spec.dir))}-dockerfile`);
    default: {
      const source = spec.copyDir ? basename(spec.copyDir) : spec.copyUrl ? basename(spec.copyUrl).replace(/\.git$/, '') : undefined;
      return nameForRef(source ? `${source}-${spec.ref}` : spec.ref);
    }
  }
}
