// mocha's spec reporter plus the closing line CI reads: "N passed, N failed, N skipped".
// It also makes the run end when its tests have (exit-guard.cjs): this reporter is what `npm test` uses.
'use strict';
const Mocha = require('mocha');
const { markChildren, afterRun } = require('./exit-guard.cjs');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    markChildren();
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
      afterRun();
    });
  }
}
module.exports = SummaryReporter;
