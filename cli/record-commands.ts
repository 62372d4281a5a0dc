/**
 * The commands on run records: runs, show, logs, and the control actions reset, skip, unskip,
 * edit, resume, rebuild. Registered by main.ts; errors go through its one error-to-exit-code path.
 */
import type { Command } from 'commander';
import { collectEnv } from './options.ts';

// Each command's module is loaded when that command runs: `caisson runs` or `show` need neither the
// Docker client nor the image builder, and `--help` needs no command at all.
const control = () => import('./commands/control.ts');

const DIR_HELP = 'folder whose .caisson/runs holds the records (the pipeline file\'s folder; default: the current directory)';
const RUN_HELP = 'run id, a unique prefix of one, or "latest"';

/** Adds the record commands to `cli`; each action reports its exit code through `setCode`. */
export function addRecordCommands(cli: Command, setCode: (code: number) => void): void {
  cli.command('runs')
    .description('list recorded runs, newest first: id, pipeline, state, counts, start, duration')
    .option('--dir <dir>', DIR_HELP)
    .action(async (opts) => setCode((await import('./commands/runs.ts')).runsCommand(opts)));

  cli.command('show')
    .description('print a recorded run\'s tree with states, attempts and times (default: the latest run)')
    .argument('[run]', RUN_HELP)
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, opts) => setCode((await import('./commands/show.ts')).showCommand(ref, opts)));

  cli.command('logs')
    .description('print one attempt of a node\'s output: stdout to stdout, stderr to stderr')
    .argument('<run>', RUN_HELP)
    .argument('<node-path>', 'the node, e.g. /ci/checks/unit')
    .option('--attempt <n>', 'which attempt (default: the latest)')
    .option('--follow', 'keep printing while the attempt runs; end when it ends')
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, path, opts) => setCode(await (await import('./commands/logs.ts')).logsCommand(ref, path, opts)));

  const controlAction = (cmd: Command, op: 'reset' | 'skip' | 'unskip' | 'kill' | 'retry', what: string) => cmd
    .description(what)
    .argument('<run>', RUN_HELP)
    .argument('<node-path>', 'the node, e.g. /ci/checks/unit')
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, path, opts) => setCode(await (await control()).controlCommand(op, ref, path, opts)));
  controlAction(cli.command('reset'), 'reset', 'put a node and its subtree back to pending: a live run runs it again at once, a finished one on resume (earlier attempts\' output is kept)');
  controlAction(cli.command('skip'), 'skip', 'skip a node and its subtree: passed over, neither blocking nor failing its parent');
  controlAction(cli.command('unskip'), 'unskip', 'clear skip on a node and everything under it');
  controlAction(cli.command('kill'), 'kill', 'kill the running and queued nodes at or under a node of a live run (state killed, reason "killed by user")');
  controlAction(cli.command('retry'), 'retry', 'reset the nodes at or under a node that ended in error or killed');

  cli.command('edit')
    .description('change an Exec\'s command and/or env in that run\'s copy of the pipeline (never your file)')
    .argument('<run>', RUN_HELP)
    .argument('<node-path>', 'the Exec, e.g. /ci/checks/unit')
    .option('--command <cmd>', 'the new command (a shell string)')
    .option('--args <json>', 'a native-function node\'s new arguments, as a JSON array')
    .option('--env <name=value>', 'set an env variable (repeatable); the node\'s other variables stay', collectEnv)
    .option('--unset-env <name>', 'remove an env variable (repeatable)', collectEnv)
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, path, opts) => setCode(await (await control()).editCommand(ref, path, opts)));

  cli.command('resume')
    .description('run what is pending in a recorded run (nodes its last runner left unfinished run again)')
    .argument('<run>', RUN_HELP)
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, opts) => setCode(await (await import('./commands/resume.ts')).resumeCommand(ref, opts)));

  cli.command('ui')
    .description('serve the local web UI for the runs of a folder (live or finished) until Ctrl-C; prints the URL to open')
    .option('--dir <dir>', DIR_HELP)
    .option('--port <n>', 'port to listen on (default: a random free one)')
    .option('--host <addr>', 'address to listen on (default 127.0.0.1; anything else exposes the UI, which can run commands, beyond this machine)')
    .action(async (opts) => setCode(await (await import('./commands/ui.ts')).uiCommand(opts)));

  cli.command('rebuild')
    .description('build a run\'s image again (default: all of its images) and reset the nodes that use it')
    .argument('<run>', RUN_HELP)
    .argument('[image]', 'image name from the pipeline\'s images table')
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, image, opts) => setCode(await (await import('./commands/rebuild.ts')).rebuildCommand(ref, image, opts)));

  cli.command('artifact')
    .description('write a node\'s stored artifacts (one output, or all of them) into a host folder, as they were in its working dir')
    .argument('<run>', RUN_HELP)
    .argument('<node-path>', 'the producing Exec, e.g. /ci/build')
    .argument('[output]', 'one of its outputs, as declared (e.g. dist); default: all')
    .option('--out <dir>', 'folder to write into (created if missing; default: the current directory)')
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, path, output, opts) => setCode((await import('./commands/artifact.ts')).artifactCommand(ref, path, output, opts)));
}
