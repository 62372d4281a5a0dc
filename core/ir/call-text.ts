/**
 * How an Exec's work reads in one line, for pretty(), `caisson show`, the live tree and the UI: its
 * command, or for a native call `fn build(2, {"to":"prod"}) from ./pipeline.ts` (arguments as tagged JSON,
 * cut to a readable length).
 */
import type { ExecNode, NativeCall } from './codecs.ts';
import { shellJoin } from './shell-quote.ts';

const ARGS_SHOWN = 80;

/** `fn NAME(ARGS) from ./MODULE`. */
export function callText(call: NativeCall): string {
  let args = call.args.map((a) => JSON.stringify(a)).join(', ');
  if (args.length > ARGS_SHOWN) args = `${args.slice(0, ARGS_SHOWN - 1)}…`;
  const from = call.module.startsWith('.') || call.module.startsWith('/') ? call.module : `./${call.module}`;
  return `fn ${call.export}(${args}) from ${from}`;
}

/** An Exec's command as one string (argv joined with shell quoting), or its call's text. */
export function execText(node: Pick<ExecNode, 'command' | 'call'>): string {
  if (node.call) return callText(node.call);
  const command = node.command ?? '';
  return typeof command === 'string' ? command : shellJoin(command);
}

const RESULT_SHOWN = 120;

/** A native call's return value (tagged JSON text) as shown beside its node: `returned {"total":6}`, cut to a line. */
export function returnedText(result: string): string {
  return `returned ${result.length > RESULT_SHOWN ? `${result.slice(0, RESULT_SHOWN - 1)}…` : result}`;
}
