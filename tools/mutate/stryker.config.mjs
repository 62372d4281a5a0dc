// StrykerJS config for `npm run mutate` (scripts/mutate.sh). One run mutates one folder of core/, named by
// MUTATE_FOLDER (e.g. "engine"); each folder keeps its own report and incremental file so folders can be
// rerun alone without losing the others' results.
const folder = process.env.MUTATE_FOLDER ?? 'engine';
const out = `reports/mutation/${folder}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  // The tests are TypeScript run through tsx; Stryker's mocha runner runs mocha in its own child process,
  // which ignores .mocharc's node-option, so the loader is given to that process here.
  testRunnerNodeArgs: ['--import', 'tsx'],
  // tsx strips types without checking them, so the sandbox needs no `// @ts-nocheck` headers (they would
  // also change test files that the README test compares byte for byte).
  disableTypeChecks: false,
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  mutate: [`core/${folder}/**/*.ts`],
  mochaOptions: {
    config: '.mocharc.json',
    require: ['./tools/mutate/sandbox-git.mjs'],
    spec: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'],
    // CLI tests run the code in child processes, whose coverage Stryker cannot see, and take most of the
    // suite's minute; architecture and jsdoc tests read source text, not behaviour.
    ignore: [
      'test/unit/cli/cli.test.ts',
      'test/unit/cli/records.test.ts',
      'test/unit/cli/tty-terminal.test.ts',
      'test/unit/architecture.test.ts',
      'test/unit/jsdoc.test.ts',
      // The README's example, verbatim, imports examples/ci.ts at the top: every DSL line that pipeline runs
      // would be a static mutant, each rerunning the whole suite. The DSL's own tests cover the same code.
      'test/unit/readme-example.test.ts',
    ],
  },
  ignorePatterns: ['.caisson', 'tmp', 'reports', 'tools/mutate/node_modules'],
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['json', 'html', 'progress'],
  jsonReporter: { fileName: `${out}/mutation.json` },
  htmlReporter: { fileName: `${out}/mutation.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 5000,
};
