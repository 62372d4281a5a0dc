/** Terminal text helpers: visible width and truncation of strings that may hold colour codes. */

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/y;

/**
 * Cuts `text` to at most `width` visible characters (colour codes do not count), ending with "…" when
 * cut, and resets colours after a cut so nothing bleeds into the next line.
 */
export function truncateVisible(text: string, width: number): string {
  if (width <= 0) return '';
  let visible = 0;
  let out = '';
  let coloured = false;
  for (let i = 0; i < text.length;) {
    SGR.lastIndex = i;
    const m = SGR.exec(text);
    if (m) { out += m[0]; coloured = true; i += m[0].length; continue; }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (visible === width - 1 && visibleLength(text.slice(i)) > 1) return `${out}…${coloured ? '\x1b[0m' : ''}`;
    out += ch;
    visible++;
    i += ch.length;
  }
  return out;
}

/** Visible characters of `text` (code points, colour codes excluded). */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}
