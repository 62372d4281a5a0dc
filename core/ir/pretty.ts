/**
 * pretty(): the tree as Conducto prints it (docs/conducto-semantics.md#pretty). Serial children are
 * prefixed with their index (zero-padded to the widest index) and a space, Parallel children with a single
 * space; Exec lines show the command beside the name, newlines as a literal "\n". A group's services come
 * first, marked "◆", with their image, command and wait.
 *
 *   /ci
 *   ├─0 install   npm ci
 *   └─1 checks
 *     ├─ lint   npm run lint
 *     └─ unit   npm test
 */
import { createColors } from 'picocolors';
import type { Node, PipelineIR } from './codecs.ts';
import { execText } from './call-text.ts';
import { shellJoin } from './shell-quote.ts';
import type { ServiceSpec } from './service-codecs.ts';
import { describeWait } from './describe-wait.ts';

/** A service's line after its name: "service busybox-latest: httpd -f (ready: http GET :8080/ → 200)". */
export function serviceSummary(s: ServiceSpec): string {
  const command = s.command === undefined ? '' : `: ${(typeof s.command === 'string' ? s.command : shellJoin(s.command)).replaceAll('\n', '\\n')}`;
  return `service ${s.image}${command} (ready: ${s.wait ? describeWait(s.wait) : 'when started'})`;
}

/** Options for pretty(). */
export interface PrettyOptions {
  /** Colour names (blue Serial/Parallel, cyan Exec) and dim markers; pass `process.stdout.isTTY`. Default false. */
  color?: boolean;
}

/** One line per node, joined with "\n" (no trailing newline). */
export function pretty(ir: PipelineIR, options: PrettyOptions = {}): string {
  const c = createColors(options.color === true);
  const nameOf = (node: Node) => (node.kind === 'exec' ? c.cyan(node.name) : c.blue(node.name));
  const suffix = (node: Node): string => {
    const skip = node.skip ? ` ${c.dim('(skip)')}` : '';
    if (node.kind !== 'exec') return skip;
    const command = execText(node);
    return `   ${command.replaceAll('\n', '\\n')}${skip}`;
  };

  const lines: string[] = [`${c.blue(`/${ir.root.name}`)}${suffix(ir.root)}`];
  const visit = (node: Node, indent: string): void => {
    if (node.kind === 'exec') return;
    // A lazy node's graft point before its generator ran: one placeholder line where its children will be.
    if (node.kind === 'serial' && node.placeholder !== undefined && node.children.length === 0) { lines.push(`${indent}└─ ${c.dim(`… ${node.placeholder}`)}`); return; }
    const width = String(node.children.length - 1).length;
    // Services first, marked ◆: they start before the group's first Exec.
    (node.services ?? []).forEach((svc, i) => {
      const last = i === (node.services?.length ?? 0) - 1 && node.children.length === 0;
      lines.push(`${indent}${last ? '└─' : '├─'}◆ ${c.magenta(svc.name)}   ${serviceSummary(svc)}`);
    });
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      const label = node.kind === 'serial' ? `${String(i).padStart(width, '0')} ` : ' ';
      lines.push(`${indent}${last ? '└─' : '├─'}${label}${nameOf(child)}${suffix(child)}`);
      visit(child, `${indent}${last ? '  ' : '│ '}`);
    });
  };
  visit(ir.root, '');
  return lines.join('\n');
}
