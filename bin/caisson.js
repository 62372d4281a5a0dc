#!/usr/bin/env node
// The `caisson` command. Registers tsx first so pipeline files (and Caisson's own sources) load as
// TypeScript with no build step for the user.
import { register } from 'tsx/esm/api';

// `caisson runs | head` closes the pipe early: that is the reader's choice, not an error worth a trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
