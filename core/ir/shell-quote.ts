/**
 * POSIX shell quoting, for showing an argv command as one line a user could paste into a shell.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so a POSIX shell reads it back unchanged. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** Joins argv into a shell command line. */
export const shellJoin = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');
