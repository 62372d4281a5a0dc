/**
 * Credentials found in a copyUrl (`https://user:token@host/repo.git`). They never enter the IR: the
 * DSL stores them here, in this process's memory, and the IR holds the redacted URL plus an id. The
 * image service looks them up by id and hands them to the builder apart from the URL (the BuildKit
 * plugin gives them to git through the environment), and every text Caisson shows (events, errors,
 * records) passes through `redactSecrets`.
 */
import { createHash } from 'node:crypto';

interface Credential { username: string; password: string }

const byId = new Map<string, Credential>();
const secrets = new Set<string>();

/** The URL with its password (or lone token) replaced by "***", and the credential pulled out of it. */
export function splitCredentials(url: string): { url: string; credential?: Credential } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@(.*)$/i.exec(url);
  if (!m) return { url };
  const [, scheme, userinfo, rest] = m as unknown as [string, string, string, string];
  const colon = userinfo.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(userinfo.slice(colon + 1));
  // A lone "token@host" is a token (GitHub style); "user@host" with no password is kept as is only for ssh-like schemes.
  if (!password && !/^https?:\/\//i.test(scheme)) return { url };
  const shownUser = password ? `${encodeURIComponent(username)}:***` : '***';
  return { url: `${scheme}${shownUser}@${rest}`, credential: password ? { username, password } : { username: 'x-access-token', password: username } };
}

/** Stores a credential and returns its id (stable for equal credentials, so hashes stay stable). */
export function rememberCredential(credential: Credential): string {
  const id = `cred-${createHash('sha256').update(`${credential.username}\0${credential.password}`).digest('hex').slice(0, 12)}`;
  byId.set(id, credential);
  secrets.add(credential.password);
  secrets.add(encodeURIComponent(credential.password));
  return id;
}

/**
 * `text` with the userinfo of every URL in it removed: everything from "://" to the last "@" before
 * whitespace, so a password holding "@" is removed whole (over-removing from a path with "@" is the safe side).
 */
export const removeUrlCredentials = (text: string): string => text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)\S*@/gi, '$1');

/** A URL with any userinfo removed (what git is given and what env values show). */
export const stripUserinfo = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');

/** The credential stored under `id` in this process, if any. */
export const lookupCredential = (id: string): Credential | undefined => byId.get(id);

/** Replaces every known secret in `text` with "***" (and any userinfo password left in a URL). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('***');
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi, '$1***@');
}
