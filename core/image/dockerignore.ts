/**
 * .dockerignore rules exactly as the engine applies them, so a content hash covers what a build sends and
 * nothing else. Patterns become regular expressions the way Docker's pattern matcher writes them: `*` and
 * `?` within one path segment, `**` across segments, `[...]` passed through as a class (so `[!a]` is the
 * set of "!" and "a", not a negation: Go's syntax has only `[^a]`), `\` escaping the next character, and
 * the other regexp characters taken literally. A path is excluded when the last pattern that matches it
 * or one of the folders it lies in is not a `!` exception. The build client walks the context and does
 * not enter an excluded folder unless an exception could bring something back from inside it (one starts
 * with the folder's path, or has a wildcard: `descend`), so hashTree walks the same way.
 *
 * Why not @balena/dockerignore: it ports Docker 19.03, whose regexps kept `+ ( ) { } |` as operators;
 * the engine escapes them (a pattern `dist/*+*.whl` is literal there, and throws in the port), and it
 * ignores case unless told not to. test/unit/image/dockerignore.test.ts runs Docker's own pattern table,
 * test/integration/dockerignore-engine.test.ts compares with what BuildKit really sends.
 */

interface Rule { negate: boolean; regex: RegExp; text: string }

/** Parsed ignore rules. */
export interface IgnoreRules {
  /** True when the context-relative path (forward slashes) is excluded by the rules themselves. */
  ignores(path: string): boolean;
  /** Whether a build enters `dir` (excluded itself) because an exception pattern starts with its path. */
  descend(dir: string): boolean;
  /** False when no `!` rule exists, so an excluded directory can be skipped whole. */
  readonly hasNegations: boolean;
}

/** Characters Docker's matcher escapes: regexp operators that mean nothing in a path pattern. */
const LITERAL = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** The pattern as a regular expression (Docker's patternmatcher compile, for "/" separators). */
function toRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') i++; // "**/" is "**"
      out += i + 1 >= pattern.length ? '.*' : '(?:.*/)?';
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') out += i + 1 < pattern.length ? `\\${pattern[++i]}` : '\\\\';
    else if (LITERAL.has(c)) out += `\\${c}`;
    else out += c; // "[", "]", "^" and "-" reach the regexp as they are, as in Docker
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    return /(?!)/; // Docker refuses a malformed class ("a["); here it just matches nothing
  }
}

/** Go's path.Clean for a pattern: "//" collapsed, "." and ".." segments resolved, no trailing "/". */
function clean(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** True for a pattern with `*`, `?` or `[` outside a backslash escape. */
function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if ('*?['.includes(pattern[i]!)) return true;
  }
  return false;
}

/** True when `regex` matches a folder the path lies in ("a", "a/b" for "a/b/c"). */
function parentMatches(regex: RegExp, segments: string[]): boolean {
  for (let n = 1; n < segments.length; n++) if (regex.test(segments.slice(0, n).join('/'))) return true;
  return false;
}

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
    rules.push({ negate, regex: toRegex(line), text: line });
  }
  const exceptions = rules.filter((r) => r.negate).map((r) => `${r.text}/`);
  // A wildcard exception may match anywhere, so the walk enters every excluded folder (buildx's fsutil).
  const enterAll = exceptions.some(hasWildcard);
  return {
    hasNegations: exceptions.length > 0,
    ignores(path: string): boolean {
      const segments = path.split('/');
      let ignored = false;
      for (const rule of rules) {
        if (rule.negate !== ignored) continue; // it could not change the answer
        if (rule.regex.test(path) || parentMatches(rule.regex, segments)) ignored = !rule.negate;
      }
      return ignored;
    },
    descend: (dir: string): boolean => enterAll || exceptions.some((e) => e.startsWith(`${dir}/`)),
  };
}
