/**
 * The rules image() options are held to before they become a spec: each option's type, Conducto's
 * combination rules (docs/conducto-semantics.md#image-rules), and the refusal of credentials written into a URL. Each broken rule is one
 * ImageSpecError naming the image and the option (through `fail`). No rule here touches the host: paths
 * are checked when the image resolves (core/image/host-paths.ts).
 */
import { isAbsolute } from 'node:path';
import { isUnreadableCredentialUrl, maskUserinfo, urlUserinfo } from '../secrets/url-userinfo.ts';
import type { ImageOptions } from './image-options.ts';
import { isSecret } from './secret.ts';

/** Throws the ImageSpecError of `option`. */
export type Fail = (option: string, message: string) => never;

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim() !== '');

/** Refuses anything but an object of strings, naming the first key whose value is not one. */
function checkStringRecord(option: string, v: unknown, what: string, fail: Fail): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(option, `expected ${what}, got ${JSON.stringify(v)}`);
  for (const [key, value] of Object.entries(v as object)) {
    if (typeof value !== 'string') fail(option, `${key}: expected a string, got ${JSON.stringify(value) ?? String(value)}${typeof value === 'number' || typeof value === 'boolean' ? ` (write "${value}")` : ''}`);
  }
}

/** A kind module as image() can use it: a name, a version and a codec. */
const isKindModule = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { params?: { decode?: unknown } }).params?.decode === 'function';

/** Each option's type. */
export function checkTypes(o: ImageOptions<unknown>, fail: Fail): void {
  for (const key of ['ref', 'image'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key].trim() === '')) fail(key, `expected a Docker image reference like "node:20", got ${JSON.stringify(o[key])}`);
    // The docker CLI would read such a reference as a flag; no valid reference begins with "-".
    if (typeof o[key] === 'string' && o[key].startsWith('-')) fail(key, `${JSON.stringify(o[key])} must not begin with "-"; a Docker image reference starts with a letter or digit, like "node:20"`);
  }
  for (const key of ['dockerfile', 'dockerfileText', 'context', 'copyDir', 'copyUrl', 'copyBranch', 'shell'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) fail(key, `expected a non-empty string, got ${JSON.stringify(o[key])}`);
  }
  if (o.provider !== undefined && !(typeof o.provider === 'string' && o.provider !== '') && !isKindModule(o.provider)) {
    fail('provider', 'expected the name of a plugin\'s image kind or the kind itself (made with defineImageKind)');
  }
  if (o.dir !== undefined && (typeof o.dir !== 'string' || !isAbsolute(o.dir))) fail('dir', `expected the absolute folder relative paths resolve from, like import.meta.dirname, got ${JSON.stringify(o.dir)}`);
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
  if (o.params !== undefined && typeof o.provider !== 'object' && (typeof o.params !== 'object' || o.params === null || Array.isArray(o.params))) fail('params', 'expected an object');
  if (o.buildSecrets !== undefined) checkBuildSecrets(o.buildSecrets, fail);
  if (o.copyCredentials !== undefined && !isSecret(o.copyCredentials)) fail('copyCredentials', 'expected secret("NAME"), got a plain value; a token is read when the image builds, never written into the pipeline');
  if (typeof o.copyUrl === 'string') checkCopyUrl(o.copyUrl, o.copyCredentials !== undefined, fail);
  if (o.pipIndexUrl !== undefined) checkIndexUrl('pipIndexUrl', o.pipIndexUrl, fail);
  if (o.pipExtraIndexUrls !== undefined) {
    if (!Array.isArray(o.pipExtraIndexUrls)) fail('pipExtraIndexUrls', 'expected an array of URLs or secret("NAME") values');
    for (const url of o.pipExtraIndexUrls) checkIndexUrl('pipExtraIndexUrls', url, fail);
  }
}

/**
 * A copyUrl names no secret: a password in it would be written into the pipeline file, the IR and every
 * record, so it goes in as copyCredentials. A lone user info over http(s) may be a token, so it is taken
 * for a user name only next to copyCredentials. Messages never show what the user info holds.
 */
function checkCopyUrl(url: string, hasCredentials: boolean, fail: Fail): void {
  // Before any message shows the URL: a URL the parser refuses cannot be masked, so it is not shown.
  if (isUnreadableCredentialUrl(url)) {
    fail('copyUrl', 'this URL (not shown: it contains "@", so it may hold a credential) is not a valid URL; percent-encode reserved characters in the user name (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F), and pass a password as copyCredentials: secret("NAME")');
  }
  const { username, password } = urlUserinfo(url);
  const how = 'pass it as copyCredentials: secret("NAME") (set NAME in the environment or .caisson/secrets), so it is read when the image builds and never written into the pipeline';
  if (password) fail('copyUrl', `${maskUserinfo(url)} holds a password; write the URL without it and ${how}`);
  if (username && !hasCredentials && /^https?:/i.test(url)) fail('copyUrl', `${maskUserinfo(url)} holds a user name or token but no copyCredentials go with it; a token goes out of the URL: ${how}`);
}

/** A package index: a URL with no credentials in it (those go through secret()), or a secret. */
function checkIndexUrl(option: string, v: unknown, fail: Fail): void {
  if (isSecret(v)) return;
  if (typeof v !== 'string' || !/^(https?|file):\/\/\S+$/i.test(v)) fail(option, `expected a URL like "https://pypi.example/simple/" or secret("NAME"), got ${typeof v === 'string' ? JSON.stringify(maskUserinfo(v)) : String(v)}`);
  const url = v as string;
  if (isUnreadableCredentialUrl(url) || urlUserinfo(url).password || urlUserinfo(url).username) {
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

/** Conducto's combination rules (docs/conducto-semantics.md#image-rules), and where the newer options apply. */
export function checkRules(o: ImageOptions<unknown>, fail: Fail): void {
  if (o.ref !== undefined && o.image !== undefined) fail('image', 'give the base image as ref or image, not both');
  const base = o.ref ?? o.image;
  const sources = [base && `ref=${base}`, o.dockerfile && `dockerfile=${o.dockerfile}`, o.dockerfileText && `dockerfileText=(${o.dockerfileText.length} chars)`].filter(Boolean);
  if (sources.length > 1) fail('ref/dockerfile/dockerfileText', `must specify at most one of them: ${sources.join(' ')}`);
  const copyUrl = o.copyUrl && maskUserinfo(o.copyUrl);
  if (o.copyDir && o.copyUrl) fail('copyDir', `must not specify copyDir (${o.copyDir}) and copyUrl (${copyUrl}) together`);
  if (o.copyRepo && (o.copyDir || o.copyUrl)) fail('copyRepo', 'copyRepo copies the enclosing repository; do not combine it with copyDir or copyUrl');
  if (o.copyUrl?.startsWith('s3://')) fail('copyUrl', `s3:// sources are not supported (${copyUrl}); sync the bucket to a directory and use copyDir`);
  if (o.copyUrl && !o.copyBranch) fail('copyBranch', `if specifying copyUrl (${copyUrl}) you must also specify copyBranch`);
  if (o.copyBranch && !o.copyUrl && !o.copyRepo) fail('copyBranch', 'copyBranch needs copyUrl or copyRepo');
  if (o.copyBranch?.startsWith('-')) fail('copyBranch', `${JSON.stringify(o.copyBranch)} must not begin with "-" (git would read it as an option)`);
  if (o.copyCredentials && !o.copyUrl && !(o.copyRepo && o.copyBranch)) fail('copyCredentials', 'applies to copyUrl, or to copyRepo with copyBranch (the clone it authenticates)');
  if (o.dockerBuildArgs && !o.dockerfile && !o.dockerfileText) fail('dockerBuildArgs', 'build args apply to dockerfile or dockerfileText only');
  for (const key of ['pipIndexUrl', 'pipExtraIndexUrls'] as const) if (o[key] !== undefined && !o.installPip?.length) fail(key, 'applies to installPip only (the index pip installs from)');
  if (o.buildSecrets && !o.dockerfile && !o.dockerfileText) fail('buildSecrets', 'build secrets apply to dockerfile or dockerfileText only (a RUN --mount=type=secret step of your own Dockerfile reads them)');
  if (o.context && !o.dockerfile && !o.dockerfileText) fail('context', 'context applies to dockerfile or dockerfileText only; use copyDir to copy code');
  if (o.dockerfileText && !o.context && /^\s*(COPY|ADD)\s+(?!--from)/im.test(o.dockerfileText)) fail('context', 'dockerfileText uses COPY/ADD, which needs an explicit context directory');
  if (o.params && !o.provider) fail('params', 'params belong to a plugin image kind; set provider too');
  if (o.provider && (base || o.dockerfile || o.dockerfileText)) fail('provider', 'a plugin image kind builds its own image; do not combine provider with ref/dockerfile/dockerfileText');
}
