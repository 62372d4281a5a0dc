/**
 * The forms a secret value takes in output besides itself, so masking is not defeated by the usual ways
 * a command prints it: trimmed (an unquoted `echo $V` drops leading and trailing blanks), line by line
 * (a PEM key through `tr '\n' ' '`, or one line of it grepped), and shell-quoted as `set -x` traces it.
 * What the shells print, checked on bash 5.2 and busybox ash:
 *
 *   value it's      bash: 'it'\''s'        busybox: 'it'"'"'s'
 *   value x<SOH>é   bash: $'x\001\303\251' (C locale; only when the value has no blank or quote)
 *
 * Only the part between the outer quotes is a form, so it matches whatever surrounds it.
 */

/**
 * The shortest secret Caisson accepts (after trimming): masking a shorter value would give it away, as a
 * secret "o" turns "Downloading" into "D***wnl***ading".
 */
export const MIN_SECRET_LENGTH = 4;

/** `value`, and every other form of it that output may show, each at least MIN_SECRET_LENGTH long. */
export function maskForms(value: string): string[] {
  const forms = new Set<string>();
  const add = (form: string): void => { if (form.trim().length >= MIN_SECRET_LENGTH) forms.add(form); };
  const bases = new Set([value, value.trim()]);
  const lines = value.split(/\r?\n/);
  if (lines.length > 1) for (const line of lines) bases.add(line.trim());
  for (const v of bases) {
    add(v);
    if (v.includes("'")) {
      add(v.replaceAll("'", "'\\''"));   // bash
      add(v.replaceAll("'", `'"'"'`));   // busybox ash
    }
    if (/[^\x20-\x7e]/.test(v)) add(ansiCQuoted(v));
  }
  return [...forms];
}

const NAMED: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'E', 39: "'", 92: '\\' };
const octal = (byte: number): string => `\\${byte.toString(8).padStart(3, '0')}`;

/** The inside of bash's `$'…'` quoting, as `set -x` prints it in the C locale (bytes past ASCII in octal). */
function ansiCQuoted(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (NAMED[c] !== undefined) out += `\\${NAMED[c]}`;
    else if (c < 0x20 || c === 0x7f) out += octal(c);
    else if (c > 0x7f) for (const byte of Buffer.from(ch, 'utf8')) out += octal(byte);
    else out += ch;
  }
  return out;
}
