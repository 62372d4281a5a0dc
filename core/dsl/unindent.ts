/**
 * Unindents shell scripts the way Conducto does (docs/conducto-semantics.md#unindent), so a template
 * literal can be indented with the code around it: tabs become 4 spaces, the smallest indentation of the
 * non-blank continuation lines is removed from every continuation line, and the whole string is trimmed. A
 * string with no indented continuation line is returned untouched.
 */
export function unindent(script: string): string {
  const lines = script.replaceAll('\t', '    ').split('\n');
  const continuation = lines.slice(1).filter((line) => line.trim() !== '');
  if (continuation.length === 0) return script;
  const indent = Math.min(...continuation.map((line) => line.length - line.trimStart().length));
  if (indent === 0) return script;
  const out = [lines[0]!, ...lines.slice(1).map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))];
  return out.join('\n').trim();
}
