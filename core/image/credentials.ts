/**
 * Credentials found in a copyUrl (`https://user:token@host/repo.git`), read with the WHATWG URL parser,
 * so a password holding "@" is taken whole and percent-encoded userinfo is decoded. They never enter
 * the IR: the DSL stores them here, in this process's memory, and the IR holds the masked URL plus an
 * id. The image service looks them up by id and hands them to the builder apart from the URL (the
 * BuildKit plugin gives them to git through the environment), and every text Caisson shows (events,
 * errors, records) passes through `redactSecrets`. One reading of "userinfo" everywhere: what the URL
 * parser takes for it, i.e. up to the last "@" of the authority (before the first "/", "?" or "#").
 */
import { createHash } from 'node:crypto';

interface Credential { username: string; password: string }

const byId = new Map<string, Credential>();
const secrets = new Set<string>();

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HTTP = /^https?:$/i;
/** scheme://userinfo@ in free text: the userinfo runs to the last "@" before "/", "?", "#" or a space. */
const USERINFO_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;

/** The URL parsed, or undefined for a URL without a scheme (`git@host:path`) or one the parser refuses. */
function parse(url: string): URL | undefined {
  if (!SCHEME.test(url)) return undefined;
  try { return new URL(url); } catch { return undefined; }
}

/** True for a `scheme://` URL the parser refuses although it holds "@": its userinfo cannot be told apart, so it cannot be masked. */
export const isUnreadableCredentialUrl = (url: string): boolean => SCHEME.test(url) && url.includes('@') && parse(url) === undefined;

/** `url` with its userinfo replaced by `shown` (and the "@" dropped when `shown` is empty), the rest as written. */
function replaceUserinfo(url: string, shown: string): string {
  const start = url.indexOf('://') + 3;
  const end = start + /^[^/?#]*/.exec(url.slice(start))![0].lastIndexOf('@');
  return `${url.slice(0, start)}${shown ? `${shown}@` : ''}${url.slice(end + 1)}`;
}

/** What a userinfo shows: `user:***` with a password, `***` for a lone http(s) token, unchanged for a lone user elsewhere (ssh://git@…). */
function maskedUserinfo(scheme: string, userinfo: string): string {
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${userinfo.slice(0, colon)}:***`;
  return /^https?:\/\//i.test(scheme) ? '***' : userinfo;
}

/**
 * The URL with its password (or lone token) replaced by "***", and the credential pulled out of it.
 * A URL the parser refuses is returned with everything between "://" and its last "@" masked; callers
 * refuse such URLs first (isUnreadableCredentialUrl).
 */
export function splitCredentials(url: string): { url: string; credential?: Credential } {
  const parsed = parse(url);
  if (!parsed) return isUnreadableCredentialUrl(url) ? { url: url.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1***@') } : { url };
  if (!parsed.username && !parsed.password) return { url };
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  // A lone "token@host" is a token (GitHub style); "user@host" with no password is kept as is for ssh-like schemes.
  if (!password && !HTTP.test(parsed.protocol)) return { url };
  const shown = password ? `${parsed.username}:***` : '***';
  return { url: replaceUserinfo(url, shown), credential: password ? { username, password } : { username: 'x-access-token', password: username } };
}

/** Stores a credential and returns its id (stable for equal credentials, so hashes stay stable). */
export function rememberCredential(credential: Credential): string {
  const id = `cred-${createHash('sha256').update(`${credential.username}\0${credential.password}`).digest('hex').slice(0, 12)}`;
  byId.set(id, credential);
  secrets.add(credential.password);
  secrets.add(encodeURIComponent(credential.password));
  return id;
}

/** A URL with any userinfo removed (what git is given, what env values and copied git configs show). */
export function stripUserinfo(url: string): string {
  const parsed = parse(url);
  if (parsed) return parsed.username || parsed.password ? replaceUserinfo(url, '') : url;
  // Unparsable: remove up to the last "@" (over-removing is the safe side).
  return isUnreadableCredentialUrl(url) ? url.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1') : url;
}

/** `text` with the userinfo of every URL in it removed, as stripUserinfo does (copied git configs: no user name either). */
export const removeUrlCredentials = (text: string): string => text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"]*/gi, stripUserinfo);

/** The credential stored under `id` in this process, if any. */
export const lookupCredential = (id: string): Credential | undefined => byId.get(id);

/** Replaces every known secret in `text` with "***", and masks the userinfo of any URL in it as splitCredentials does. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('***');
  return out.replace(USERINFO_IN_TEXT, (_m, scheme: string, userinfo: string) => `${scheme}${maskedUserinfo(scheme, userinfo)}@`);
}
