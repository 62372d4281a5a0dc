// Makes `npm test` end when its tests have ended. Without it, one process a test started and failed to stop
// (a server behind `npx`, which does not pass signals on) keeps mocha waiting on its pipe, and CI runs until
// its time limit with every test green. So: every process the tests start inherits a marker; at the end of the
// run, any still alive is named on stderr and killed; and if something in mocha itself still holds the event
// loop a while later, it is named and the process exits with mocha's own exit code.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');

const MARKER = `CAISSON_TEST_RUN=${randomBytes(6).toString('hex')}`;
const GRACE_MS = 3000;
const HELD_LOOP_MS = 20000;

/** Sets the marker every child of this process inherits (through process.env or a copy of it). */
function markChildren() {
  const [name, value] = MARKER.split('=');
  process.env[name] = value;
}

/** Processes other than this one whose environment carries this run's marker. */
function markedProcesses() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(MARKER)) continue;
      found.push({ pid, cmd: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim() });
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

function signal(pids, sig) {
  for (const pid of pids) {
    try { process.kill(pid, sig); } catch { /* already gone */ }
  }
}

/** Called once mocha's run has ended: stops what outlived the tests, then makes sure the process ends. */
function afterRun() {
  if (process.platform === 'linux') {
    const left = markedProcesses();
    if (left.length > 0) {
      process.stderr.write(`\ntest run: ${left.length} process(es) outlived the tests; a test did not stop them (stopping them now):\n`);
      for (const p of left) process.stderr.write(`  pid ${p.pid}: ${p.cmd.slice(0, 200)}\n`);
      signal(left.map((p) => p.pid), 'SIGTERM');
      setTimeout(() => signal(markedProcesses().map((p) => p.pid), 'SIGKILL'), GRACE_MS).unref();
    }
  }
  // Unref'd: it fires only if something else keeps the loop alive, and then says what.
  setTimeout(() => {
    const held = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    process.stderr.write(`\ntest run: ended ${HELD_LOOP_MS / 1000} s ago but still held open by: ${held.join(', ') || 'nothing named'}; exiting.\n`);
    process.exit(process.exitCode ?? 0);
  }, HELD_LOOP_MS).unref();
}

module.exports = { markChildren, afterRun };
