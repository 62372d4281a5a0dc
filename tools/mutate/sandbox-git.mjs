// Loaded by mocha (mochaOptions.require) in Stryker's test runner only. Stryker copies the project into
// .stryker-tmp/sandbox-*/ but never copies .git, so code that looks for the enclosing checkout
// (image({ copyRepo: true })) would find the real worktree above the sandbox. An empty .git makes the
// sandbox its own checkout root, as the project is when its tests run normally.
import { existsSync, mkdirSync } from 'node:fs';
import { sep } from 'node:path';

if (process.cwd().includes(`${sep}.stryker-tmp${sep}`) && !existsSync('.git')) mkdirSync('.git');
