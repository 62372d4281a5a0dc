/**
 * Splits a command line into words as a POSIX shell would (quotes and backslashes; no expansion).
 * Used for `dockerRunArgs` given as one string, as Conducto's shlex.split does.
 */

/** Words of `text`, or an Error message string when a quote is left open. */
export function shellSplit(text: string): string[] | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'unterminated single quote' };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) i++;
        word += text[i]!;
        i++;
      }
      if (i >= text.length) return { error: 'unterminated double quote' };
      inWord = true;
      i++;
    } else if (ch === '\\') {
      if (i + 1 < text.length) word += text[i + 1]!;
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
