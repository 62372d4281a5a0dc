/**
 * Replaces secret values in a stream of text chunks with `***`, even when a value arrives split across
 * chunks. Only the shortest tail that could still be the start of a secret is held back; flush() at
 * the end of the stream releases it (a tail that never completed a secret is not one).
 *
 * The work per chunk is linear in its length: complete values are found by one regular expression (an
 * alternation of the literals, longest first, so the leftmost match is the longest one starting there),
 * and the tail to hold back by an Aho-Corasick automaton run over the last (longest value - 1)
 * characters only, whose state is the longest suffix that is still the start of a value.
 */

/** What scrubbed text shows instead of a secret. */
export const MASK = '***';

interface TrieNode {
  next: Map<number, TrieNode>;
  /** The node of the longest proper suffix of this node's text that is also in the trie. */
  fail: TrieNode | undefined;
  depth: number;
}

const newNode = (depth: number): TrieNode => ({ next: new Map(), fail: undefined, depth });
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A set of literal values compiled for masking (shared by every stream of a run): the regular
 * expression for complete values and the automaton for partial ones.
 */
export class SecretPatterns {
  /** The distinct non-empty values, longest first. */
  readonly values: readonly string[];
  /** Length of the longest value (0 when there is none). */
  readonly maxLength: number;
  private readonly regex: RegExp | undefined;
  private readonly root = newNode(0);

  /** @param values values to hide; empty ones are ignored (they would match everywhere). */
  constructor(values: Iterable<string>) {
    this.values = [...new Set([...values].filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
    this.maxLength = this.values[0]?.length ?? 0;
    if (this.values.length === 0) return;
    this.regex = new RegExp(this.values.map(escapeRegExp).join('|'), 'g');
    for (const v of this.values) this.insert(v);
    this.linkFailures();
  }

  /** True when there is nothing to hide. */
  get empty(): boolean { return this.values.length === 0; }

  /**
   * Masks `text`. Unless `final`, stops at the first place a match could still start that more text
   * could complete (a value, or a longer value than the one found there), and returns the rest as `held`.
   */
  scan(text: string, final: boolean): { out: string; held: string } {
    if (!this.regex) return { out: text, held: '' };
    const matches: number[] = []; // start, end pairs, leftmost first, not overlapping
    this.regex.lastIndex = 0;
    for (let m = this.regex.exec(text); m; m = this.regex.exec(text)) matches.push(m.index, m.index + m[0].length);
    const cut = final ? text.length : this.holdFrom(text, matches);
    let out = '';
    let from = 0;
    for (let i = 0; i < matches.length && matches[i + 1]! <= cut; i += 2) {
      out += text.slice(from, matches[i]) + MASK;
      from = matches[i + 1]!;
    }
    return { out: out + text.slice(from, cut), held: text.slice(cut) };
  }

  /**
   * Where to start holding back: the leftmost position, among those a left-to-right scan stops at (not
   * inside a match), from which the text to the end is a proper prefix of a value. text.length if none.
   */
  private holdFrom(text: string, matches: number[]): number {
    const start = Math.max(0, text.length - (this.maxLength - 1));
    let state = this.root;
    for (let i = start; i < text.length; i++) state = this.step(state, text.charCodeAt(i));
    // The state and its failure chain are exactly the suffixes that begin a value, longest first.
    for (let s: TrieNode | undefined = state; s && s !== this.root; s = s.fail) {
      if (s.next.size === 0) continue; // a whole value with nothing longer: a match, not a beginning
      const at = text.length - s.depth;
      if (!insideMatch(at, matches)) return at;
    }
    return text.length;
  }

  private step(state: TrieNode, c: number): TrieNode {
    for (let s: TrieNode | undefined = state; s; s = s.fail) {
      const next = s.next.get(c);
      if (next) return next;
    }
    return this.root;
  }

  private insert(value: string): void {
    let n = this.root;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      let m = n.next.get(c);
      if (!m) n.next.set(c, (m = newNode(n.depth + 1)));
      n = m;
    }
  }

  private linkFailures(): void {
    const queue: TrieNode[] = [];
    for (const child of this.root.next.values()) { child.fail = this.root; queue.push(child); }
    for (let q = 0; q < queue.length; q++) {
      const n = queue[q]!;
      for (const [c, child] of n.next) {
        let f = n.fail;
        while (f && !f.next.has(c)) f = f.fail;
        child.fail = f?.next.get(c) ?? this.root;
        queue.push(child);
      }
    }
  }
}

/** True when `at` lies strictly inside one of the matches (start, end pairs); only the last few can. */
function insideMatch(at: number, matches: number[]): boolean {
  for (let i = matches.length - 2; i >= 0 && matches[i + 1]! > at; i -= 2) {
    if (matches[i]! < at) return true;
  }
  return false;
}

/**
 * Masks secret values in one output stream as it arrives, so a secret never reaches events, logs or the
 * terminal even when a chunk boundary splits it. Use one per stream; `scrubText` for whole strings.
 */
export class SecretScrubber {
  private readonly patterns: SecretPatterns;
  private held = '';

  /** @param values secret values to hide (empty ones are ignored), or patterns compiled once for many streams */
  constructor(values: Iterable<string> | SecretPatterns) {
    this.patterns = values instanceof SecretPatterns ? values : new SecretPatterns(values);
  }

  /** True when there is nothing to hide (push() then returns its input unchanged). */
  get empty(): boolean { return this.patterns.empty; }

  /** Takes the next chunk; returns what can be shown now, secrets masked. */
  push(chunk: string): string {
    if (this.patterns.empty) return chunk;
    const { out, held } = this.patterns.scan(this.held + chunk, false);
    this.held = held;
    return out;
  }

  /** Ends the stream: returns the held-back tail, masked where it holds a (shorter) secret whole. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest && this.patterns.scan(rest, true).out;
  }
}

/** Masks every secret in a complete string (reasons, messages). */
export function scrubText(text: string, values: Iterable<string> | SecretPatterns): string {
  const s = new SecretScrubber(values);
  return s.push(text) + s.flush();
}
