#!/usr/bin/env node
// The `caisson` command. An installed package runs its compiled code (dist/); a checkout of the
// repository, where the TypeScript sources sit beside this file, runs them directly (scripts/dev-loader).
import { existsSync } from 'node:fs';

// `caisson runs | head` closes the pipe early: that is the reader's choice, not an error worth a trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const fromSources = existsSync(new URL('../cli/main.ts', import.meta.url));
if (fromSources) await import('../scripts/dev-loader.mjs');
const { main } = await import(fromSources ? '../cli/main.ts' : '../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
