/**
 * Registers `caisson debug` (docs/conducto-semantics.md#debug). Errors go through main.ts's one
 * error-to-exit-code path.
 */
import type { Command } from 'commander';

/** Adds `caisson debug` to `cli`; its action reports the shell's exit code through `setCode`. */
export function addDebugCommand(cli: Command, setCode: (code: number) => void): void {
  cli.command('debug')
    .description('open a shell in a new container made from a node\'s exact image and env, its command in /caisson/cmd.sh; removed on exit')
    .argument('<run>', 'run id, a unique prefix of one, or "latest"; or a pipeline file (.ts/.js) to debug without a run')
    .argument('<node-path>', 'the Exec node to debug, e.g. /ci/test/unit')
    .option('--live', 'bind-mount every pathMap entry of the image read-write, so host edits show inside')
    .option('--export <name>', 'with a pipeline file: use this named export')
    .option('--dir <dir>', 'folder whose .caisson/runs holds the records (default: the current directory)')
    .action(async (run, path, opts) => setCode(await (await import('./commands/debug.ts')).debugCommand(run, path, opts)));
}
