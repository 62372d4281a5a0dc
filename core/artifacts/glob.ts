/**
 * Output globs: `*` and `?` within one path segment, `**` across any number of them, `[abc]` a class.
 * A glob's static prefix (its segments before the first wildcard) is the folder copied out of the
 * container; the pattern then picks files from it.
 */

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

/** True when the output is a glob rather than one path. */
export const isGlob = (pattern: string): boolean => hasGlob(pattern);

/** The segments before the first wildcard, joined: "reports" for any glob under reports/. */
export function staticPrefix(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex(hasGlob);
  return (i === -1 ? parts : parts.slice(0, i)).join('/');
}

/** A RegExp matching whole '/'-separated relative paths against the glob. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else { re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`; i = end; }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
