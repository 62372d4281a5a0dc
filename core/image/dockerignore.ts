/**
 * .dockerignore rules as Docker reads them: one pattern a line, `#` comments, `!` re-includes, `*`
 * `?` `[...]` within one path segment, `**` across segments, a pattern that matches a directory
 * excludes everything under it, and the last matching line wins. Used to hash exactly what a COPY sends.
 */

interface Rule { negate: boolean; regex: RegExp }

/** Parsed ignore rules. */
export interface IgnoreRules {
  /** True when the context-relative path (forward slashes) is excluded. */
  ignores(path: string): boolean;
  /** False when no `!` rule exists, so an excluded directory can be skipped whole. */
  readonly hasNegations: boolean;
}

function globToRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) out += `\\${pattern[++i]}`;
    else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}(?:/.*)?$`);
}

/** Cleans a pattern the way Docker does (leading "/" and "./" dropped, "//" collapsed, trailing "/" dropped). */
const clean = (p: string): string => p.replace(/\/+/g, '/').replace(/^(\.\/|\/)+/, '').replace(/\/$/, '').replace(/(^|\/)\.(?=\/|$)/g, '');

/** Parses .dockerignore text. */
export function parseDockerignore(text: string): IgnoreRules {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = clean(line);
    if (!line) continue;
    rules.push({ negate, regex: globToRegex(line) });
  }
  const hasNegations = rules.some((r) => r.negate);
  return {
    hasNegations,
    ignores(path: string): boolean {
      let ignored = false;
      for (const rule of rules) if (rule.negate === ignored && rule.regex.test(path)) ignored = !rule.negate;
      return ignored;
    },
  };
}
