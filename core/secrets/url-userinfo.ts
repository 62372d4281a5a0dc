/**
 * The user info of a URL (`https://user:token@host/…`), read as the WHATWG URL parser reads it: up to the
 * last "@" of the authority, a password holding "@" taken whole, percent-encoding decoded. Pure functions:
 * Caisson never keeps a credential it finds in a URL. The DSL refuses one in what a pipeline says (it
 * would be written into the IR, the source file and every record), a credential goes in as a secret
 * (`copyCredentials: secret("NAME")`), and copied git configs lose their user info.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The URL parsed, or undefined for a URL without a scheme (`git@host:path`) or one the parser refuses. */
function parse(url: string): URL | undefined {
  if (!SCHEME.test(url)) return undefined;
  try { return new URL(url); } catch { return undefined; }
}

/** True for a `scheme://` URL the parser refuses although it holds "@": its user info cannot be told apart, so it cannot be shown safely. */
export const isUnreadableCredentialUrl = (url: string): boolean => SCHEME.test(url) && url.includes('@') && parse(url) === undefined;

/** `url` with its user info replaced by `shown` (the "@" dropped when `shown` is empty), the rest as written. */
function replaceUserinfo(url: string, shown: string): string {
  const start = url.indexOf('://') + 3;
  const end = start + /^[^/?#]*/.exec(url.slice(start))![0].lastIndexOf('@');
  return `${url.slice(0, start)}${shown ? `${shown}@` : ''}${url.slice(end + 1)}`;
}

/** What a URL's user info holds: a user name, a password, both (decoded), or nothing. */
export interface Userinfo {
  username?: string;
  password?: string;
}

/** The user info of `url` (decoded); empty for a URL without one, without a scheme, or one the parser refuses. */
export function urlUserinfo(url: string): Userinfo {
  const parsed = parse(url);
  if (!parsed) return {};
  const out: Userinfo = {};
  if (parsed.username) out.username = decodeURIComponent(parsed.username);
  if (parsed.password) out.password = decodeURIComponent(parsed.password);
  return out;
}

/** `url` safe to show: a password (or a lone http(s) token) as "***", a lone user of another scheme (ssh://git@…) kept. */
export function maskUserinfo(url: string): string {
  const parsed = parse(url);
  if (!parsed) return isUnreadableCredentialUrl(url) ? url.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1***@') : url;
  if (parsed.password) return replaceUserinfo(url, `${parsed.username}:***`);
  if (parsed.username && /^https?:$/i.test(parsed.protocol)) return replaceUserinfo(url, '***');
  return url;
}

/** A URL with any user info removed (what git is given, what env values and copied git configs show). */
export function stripUserinfo(url: string): string {
  const parsed = parse(url);
  if (parsed) return parsed.username || parsed.password ? replaceUserinfo(url, '') : url;
  // Unparsable: remove up to the last "@" (over-removing is the safe side).
  return isUnreadableCredentialUrl(url) ? url.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1') : url;
}

/** `text` with the user info of every URL in it removed, as stripUserinfo does (copied git configs: no user name either). */
export const removeUrlCredentials = (text: string): string => text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"]*/gi, stripUserinfo);

/** scheme://userinfo@ in free text: the user info runs to the last "@" before "/", "?", "#" or a space. */
const USERINFO_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;

/**
 * `text` with the password of every URL in it shown as "***" (`https://bot:***@host`), and a lone http(s)
 * user info too (it may be a token); a lone user of another scheme (ssh://git@…) stays. For output that
 * may quote a URL Caisson never saw, such as a build log.
 */
export function maskUrlPasswords(text: string): string {
  return text.replace(USERINFO_IN_TEXT, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:***@`;
    return `${scheme}${/^https?:\/\//i.test(scheme) ? '***' : userinfo}@`;
  });
}
