/** The result cache's commands: `why` (why a cached node ran) and `cache prune`. Registered by main.ts. */
import type { Command } from 'commander';

const DIR_HELP = 'folder whose .caisson/runs holds the records (the pipeline file\'s folder; default: the current directory)';

/** Adds `why` and `cache prune` to `cli`; each action reports its exit code through `setCode`. */
export function addCacheCommands(cli: Command, setCode: (code: number) => void): void {
  cli.command('why')
    .description('say why a cached node ran in a run: its cache decision and what changed since the earlier result (image, command, env, input files…)')
    .argument('<run>', 'run id, a unique prefix of one, or "latest"')
    .argument('<node-path>', 'the Exec, e.g. /ci/build')
    .option('--attempt <n>', 'which attempt (default: the latest)')
    .option('--dir <dir>', DIR_HELP)
    .action(async (ref, path, opts) => setCode((await import('./commands/why.ts')).whyCommand(ref, path, opts)));

  const cache = cli.command('cache').description('the result cache (in the cache folder, results/)');
  cache.command('prune')
    .description('remove stored results: least recently used first down to --max-size (default the cap), or those unused for --older-than, or --all')
    .option('--max-size <size>', 'keep at most this much, e.g. 500MB (default: CAISSON_CACHE_SIZE, else 1GB)')
    .option('--older-than <duration>', 'remove results not used for this long, e.g. 7d')
    .option('--all', 'remove every stored result')
    .action(async (opts) => setCode((await import('./commands/cache-prune.ts')).cachePruneCommand(opts)));
}
