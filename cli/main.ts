/**
 * The `caisson` command: argument parsing and the one place errors become messages and exit codes
 * (0 done, 1 the pipeline failed or the backend is unusable, 2 bad input), the latter by error code.
 */
import { Command, CommanderError } from 'commander';
import { isUserError, type ErrorCode } from '../core/index.ts';
import { addRecordCommands } from './record-commands.ts';
import { addDebugCommand } from './debug-command.ts';
import { addCacheCommands } from './cache-commands.ts';
import { DEFAULT_RUNTIME, RUNTIME_NAMES } from './runtimes.ts';
import { caissonVersion } from './version.ts';

/**
 * The exit code of each error code: 2 for input the user can correct (a flag, the pipeline file, a node
 * path or run id they typed), 1 for what failed while doing the work. A new code must be placed here.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, 1 | 2>> = {
  USAGE: 2, DSL: 2, IR_INVALID: 2, IMAGE_CONFLICT: 2, IMAGE_SPEC: 2, NODE_NOT_FOUND: 2, RUN_OPERATION: 2, RUN_NOT_FOUND: 2,
  // Plugin wiring is the pipeline file's (its plugins export, or an image kind it uses without one).
  PLUGIN: 2,
  IMAGE_NOT_FOUND: 1, IMAGE_UNRESOLVED: 1, IMAGE_BUILD: 1, RECORDED_IMAGE_MISSING: 1, RUNTIME_UNAVAILABLE: 1, RUNTIME_OPTION: 1,
  LEASE: 1, RUN_RECORD: 1, SECRET: 1,
};

function program(setCode: (code: number) => void): Command {
  const cli = new Command('caisson')
    .description('Container pipelines as TypeScript code.')
    .version(caissonVersion(), '-V, --version', 'print the version of caisson')
    .exitOverride()
    .showHelpAfterError('(caisson --help for usage)');

  cli.command('run')
    .description('run a pipeline file (TypeScript or JavaScript) and report every node')
    .argument('<file>', 'pipeline file whose default export (or --export) is a pipeline builder, or a function returning one')
    .option('--export <name>', 'use this named export instead of the default export')
    .option('--no-typecheck', 'load a TypeScript pipeline file without type-checking it first')
    .option('--runtime <name>', `runtime backend: ${RUNTIME_NAMES.join(' | ')}`, DEFAULT_RUNTIME)
    .option('--cpu <n>', 'CPU capacity Exec nodes reserve from (default: host cores)')
    .option('--mem <gb>', 'memory capacity in GB (default: host memory)')
    .option('--concurrency <n>', 'at most this many Exec nodes at once')
    .option('--dry-run', 'print the tree, images and container plan; start nothing')
    .option('--rebuild', 'build every built image again even when nothing changed')
    .option('--no-cache', 'run every cached node without looking the result cache up (fresh results are still stored)')
    .option('--ui', 'also serve the local web UI for this run (prints its URL); it stays up after the run until Ctrl-C')
    .option('--port <n>', 'with --ui: the port to listen on (default: a random free one)')
    .option('--host <addr>', 'with --ui: the address to listen on (default 127.0.0.1)')
    .action(async (file, opts) => setCode(await (await import('./commands/run.ts')).runCommand(file, opts)));

  cli.command('pretty')
    .description('print the pipeline tree without running it')
    .argument('<file>', 'pipeline file')
    .option('--export <name>', 'use this named export')
    .option('--no-typecheck', 'do not type-check the file first')
    .action(async (file, opts) => setCode(await (await import('./commands/inspect.ts')).prettyCommand(file, opts)));

  cli.command('compile')
    .description('print the pipeline IR (caisson/v1 JSON)')
    .argument('<file>', 'pipeline file')
    .option('--export <name>', 'use this named export')
    .option('--no-typecheck', 'do not type-check the file first')
    .action(async (file, opts) => setCode(await (await import('./commands/inspect.ts')).compileCommand(file, opts)));

  addRecordCommands(cli, setCode);
  addDebugCommand(cli, setCode);
  addCacheCommands(cli, setCode);

  return cli;
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  try {
    await program((c) => { code = c; }).parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (!isUserError(e)) throw e;
    process.stderr.write(`caisson: ${e.message}\n`);
    // A code this table does not know comes from a newer copy of Caisson (a plugin's): a failure.
    return EXIT_CODES[e.code] ?? 1;
  }
}
