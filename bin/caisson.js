#!/usr/bin/env node
// The `caisson` command. Registers tsx first so pipeline files (and Caisson's own sources) load as
// TypeScript with no build step for the user.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
