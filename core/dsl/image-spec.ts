/**
 * image() options → an IR ImageSpec: picks the kind, makes paths absolute against the caller's directory,
 * infers pathMap from copyDir/copyRepo, strips credentials out of copyUrl, and enforces Conducto's
 * validation rules (docs/conducto-semantics.md#image-rules), each as an ImageSpecError naming the image and
 * the option.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImageSpec } from '../ir/codecs.ts';
import { ImageSpecError } from '../errors.ts';
import { isUnreadableCredentialUrl, rememberCredential, splitCredentials } from '../image/credentials.ts';
import { findGitCheckout } from './image-caller.ts';
import type { ImageOptions } from './image-options.ts';
import { isSecret, type SecretRef } from './secret.ts';

/** Where copied code lands inside images. */
export const CODE_DIR = '/mnt/caisson';
/** Base image for installs/copies when no `ref` is given (as Conducto: a Debian base). */
export const DEFAULT_BASE_REF = 'debian:bookworm-slim';

type Fail = (option: string, message: string) => never;

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim() !== '');

/** Refuses anything but an object of strings, naming the first key whose value is not one. */
function checkStringRecord(option: string, v: unknown, what: string, fail: Fail): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(option, `expected ${what}, got ${JSON.stringify(v)}`);
  for (const [key, value] of Object.entries(v as object)) {
    if (typeof value !== 'string') fail(option, `${key}: expected a string, got ${JSON.stringify(value) ?? String(value)}${typeof value === 'number' || typeof value === 'boolean' ? ` (write "${value}")` : ''}`);
  }
}

function checkTypes(o: ImageOptions, fail: Fail): void {
  for (const key of ['ref', 'image'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key].trim() === '')) fail(key, `expected a Docker image reference like "node:20", got ${JSON.stringify(o[key])}`);
    // The docker CLI would read such a reference as a flag; no valid reference begins with "-".
    if (typeof o[key] === 'string' && o[key].startsWith('-')) fail(key, `${JSON.stringify(o[key])} must not begin with "-"; a Docker image reference starts with a letter or digit, like "node:20"`);
  }
  for (const key of ['dockerfile', 'dockerfileText', 'context', 'copyDir', 'copyUrl', 'copyBranch', 'shell', 'provider'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) fail(key, `expected a non-empty string, got ${JSON.stringify(o[key])}`);
  }
  // Before any message shows the URL: a URL the parser refuses cannot be masked, so it is not shown.
  if (typeof o.copyUrl === 'string' && isUnreadableCredentialUrl(o.copyUrl)) {
    fail('copyUrl', 'this URL (not shown: it contains "@", so it may hold a credential) is not a valid URL; percent-encode reserved characters in the user name and password (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F)');
  }
  for (const key of ['copyRepo', 'dockerAutoWorkdir', 'installDocker'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') fail(key, `expected true or false, got ${JSON.stringify(o[key])}`);
  }
  for (const key of ['installPackages', 'installPip'] as const) {
    const v: unknown = o[key];
    if (v === undefined || isStringList(v)) continue;
    const bad = Array.isArray(v) ? v.findIndex((x) => typeof x !== 'string' || x.trim() === '') : -1;
    fail(key, `expected an array of non-empty strings${bad >= 0 ? `; entry ${bad} is ${JSON.stringify((v as unknown[])[bad]) ?? String((v as unknown[])[bad])}` : `, got ${JSON.stringify(v)}`}`);
  }
  if (o.installNpm !== undefined && o.installNpm !== true && !isStringList(o.installNpm)) fail('installNpm', 'expected true or an array of package names');
  if (o.dockerBuildArgs !== undefined) checkStringRecord('dockerBuildArgs', o.dockerBuildArgs, 'an object of string values like { VERSION: "1.2" }', fail);
  if (o.pathMap !== undefined) checkStringRecord('pathMap', o.pathMap, 'an object mapping host paths to container paths', fail);
  if (o.params !== undefined && (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params))) fail('params', 'expected an object');
  if (o.buildSecrets !== undefined) checkBuildSecrets(o.buildSecrets, fail);
  if (o.pipIndexUrl !== undefined) checkIndexUrl('pipIndexUrl', o.pipIndexUrl, fail);
  if (o.pipExtraIndexUrls !== undefined) {
    if (!Array.isArray(o.pipExtraIndexUrls)) fail('pipExtraIndexUrls', 'expected an array of URLs or secret("NAME") values');
    for (const url of o.pipExtraIndexUrls) checkIndexUrl('pipExtraIndexUrls', url, fail);
  }
}

/** A package index: a URL with no credentials in it (those go through secret()), or a secret. */
function checkIndexUrl(option: string, v: unknown, fail: Fail): void {
  if (isSecret(v)) return;
  if (typeof v !== 'string' || !/^(https?|file):\/\/\S+$/i.test(v)) fail(option, `expected a URL like "https://pypi.example/simple/" or secret("NAME"), got ${typeof v === 'string' ? JSON.stringify(splitCredentials(v).url) : String(v)}`);
  if (isUnreadableCredentialUrl(v as string) || splitCredentials(v as string).credential) {
    fail(option, 'the URL holds a credential; pass it as secret("NAME") (set NAME in the environment or .caisson/secrets), so it is read at build time and never written into the pipeline');
  }
}

/** Build secret ids become `--secret id=…` and /run/secrets/<id>: no "," "=" or "/" in them. */
const SECRET_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkBuildSecrets(v: unknown, fail: Fail): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('buildSecrets', `expected an object like { NPM_TOKEN: secret("NPM_TOKEN") }, got ${JSON.stringify(v)}`);
  for (const [id, ref] of Object.entries(v as object)) {
    if (!SECRET_ID.test(id)) fail('buildSecrets', `${JSON.stringify(id)}: expected an id of letters, digits, "_", "." and "-" (it names /run/secrets/<id> in RUN --mount=type=secret,id=<id>)`);
    if (!isSecret(ref)) fail('buildSecrets', `${id}: expected secret("NAME"), got a plain value; a build secret is read when the image builds, never written into the pipeline`);
  }
}

function existingPath(dir: string, p: string, kind: 'file' | 'directory', option: string, fail: Fail): string {
  const abs = resolve(dir, p);
  const ok = existsSync(abs) && (kind === 'file' ? statSync(abs).isFile() : statSync(abs).isDirectory());
  if (!ok) fail(option, `no ${kind} at ${abs} (relative paths resolve from ${dir}, the directory of the file that called image())`);
  return abs;
}

function checkRules(o: ImageOptions, fail: Fail): void {
  if (o.ref !== undefined && o.image !== undefined) fail('image', 'give the base image as ref or image, not both');
  const base = o.ref ?? o.image;
  const sources = [base && `ref=${base}`, o.dockerfile && `dockerfile=${o.dockerfile}`, o.dockerfileText && `dockerfileText=(${o.dockerfileText.length} chars)`].filter(Boolean);
  if (sources.length > 1) fail('ref/dockerfile/dockerfileText', `must specify at most one of them: ${sources.join(' ')}`);
  if (o.copyDir && o.copyUrl) fail('copyDir', `must not specify copyDir (${o.copyDir}) and copyUrl (${splitCredentials(o.copyUrl).url}) together`);
  if (o.copyRepo && (o.copyDir || o.copyUrl)) fail('copyRepo', 'copyRepo copies the enclosing repository; do not combine it with copyDir or copyUrl');
  if (o.copyUrl?.startsWith('s3://')) fail('copyUrl', `s3:// sources are not supported (${o.copyUrl}); sync the bucket to a directory and use copyDir`);
  if (o.copyUrl && !o.copyBranch) fail('copyBranch', `if specifying copyUrl (${splitCredentials(o.copyUrl).url}) you must also specify copyBranch`);
  if (o.copyBranch && !o.copyUrl && !o.copyRepo) fail('copyBranch', 'copyBranch needs copyUrl or copyRepo');
  if (o.copyBranch?.startsWith('-')) fail('copyBranch', `${JSON.stringify(o.copyBranch)} must not begin with "-" (git would read it as an option)`);
  if (o.dockerBuildArgs && !o.dockerfile && !o.dockerfileText) fail('dockerBuildArgs', 'build args apply to dockerfile or dockerfileText only');
  for (const key of ['pipIndexUrl', 'pipExtraIndexUrls'] as const) if (o[key] !== undefined && !o.installPip?.length) fail(key, 'applies to installPip only (the index pip installs from)');
  if (o.buildSecrets && !o.dockerfile && !o.dockerfileText) fail('buildSecrets', 'build secrets apply to dockerfile or dockerfileText only (a RUN --mount=type=secret step of your own Dockerfile reads them)');
  if (o.context && !o.dockerfile && !o.dockerfileText) fail('context', 'context applies to dockerfile or dockerfileText only; use copyDir to copy code');
  if (o.dockerfileText && !o.context && /^\s*(COPY|ADD)\s+(?!--from)/im.test(o.dockerfileText)) fail('context', 'dockerfileText uses COPY/ADD, which needs an explicit context directory');
  if (o.params && !o.provider) fail('params', 'params belong to a plugin image kind; set provider too');
  if (o.provider && (base || o.dockerfile || o.dockerfileText)) fail('provider', 'a plugin image kind builds its own image; do not combine provider with ref/dockerfile/dockerfileText');
}

/** Normalises validated options into the spec of the right kind (name filled in by the caller). */
export function buildImageSpec(o: ImageOptions, dir: string, label: string): ImageSpec {
  const fail: Fail = (option, message) => { throw new ImageSpecError(label, `${option}: ${message}`, { option }); };
  checkTypes(o, fail);
  checkRules(o, fail);
  const common: Record<string, unknown> = {};
  if (o.shell) common.shell = o.shell;
  const pathMap: Record<string, string> = {};
  for (const [host, inside] of Object.entries(o.pathMap ?? {})) pathMap[resolve(dir, host)] = inside;
  if (o.provider) return finish({ kind: 'custom', name: '', provider: o.provider, dir, params: o.params ?? {}, ...common }, pathMap);

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
    req.copyDir = existingPath(dir, o.copyDir, 'directory', 'copyDir', fail);
    pathMap[req.copyDir as string] = CODE_DIR;
  }
  if (o.copyUrl) {
    const { url, credential } = splitCredentials(o.copyUrl);
    req.copyUrl = url;
    req.copyBranch = o.copyBranch;
    req.copyGit = true;
    if (credential) req.credentials = rememberCredential(credential);
  }
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
      const { url, credential } = splitCredentials(checkout.originUrl);
      req.copyUrl = url;
      req.copyBranch = o.copyBranch;
      if (credential) req.credentials = rememberCredential(credential);
    } else {
      req.copyDir = repoRoot;
      if (checkout.originUrl) req.gitUrl = splitCredentials(checkout.originUrl).url;
      if (checkout.branch) req.copyBranch = checkout.branch;
    }
  }
  const built = { dir, dockerAutoWorkdir: o.dockerAutoWorkdir ?? true, ...common, ...req };
  if (o.dockerfile || o.dockerfileText) {
    const spec: Record<string, unknown> = { kind: 'dockerfile', name: '', ...built };
    if (o.dockerfile) spec.dockerfile = existingPath(dir, o.dockerfile, 'file', 'dockerfile', fail);
    if (o.dockerfileText) spec.dockerfileText = o.dockerfileText;
    const context = o.context ? existingPath(dir, o.context, 'directory', 'context', fail)
      : repoRoot ?? (o.dockerfile ? resolve(spec.dockerfile as string, '..') : undefined);
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

