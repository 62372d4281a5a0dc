/**
 * A second Ctrl-C quits at once (README: "Ctrl-C cancels a run …; a second Ctrl-C quits"). The run is a
 * real CLI executeRun in a child process, on the fake runtime made to hang on cleanup (as a daemon that
 * never answers would): the first SIGINT starts cancelling, which then never ends; the second must end
 * the process with 130, without waiting for the summary.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDirs } from '../../helpers/temp-project.ts';

const CHILD = `
import { compile, Engine, pipeline } from ${JSON.stringify(join(ROOT, 'core/index.ts'))};
import { FakeRuntimeProvider, placeholderImages } from ${JSON.stringify(join(ROOT, 'plugins/runtime-fake/index.ts'))};
import { executeRun } from ${JSON.stringify(join(ROOT, 'cli/records/execute-run.ts'))};
import { runReporter } from ${JSON.stringify(join(ROOT, 'cli/run-reporter.ts'))};

// Keeps the process alive whatever the promises do: only an exit ends it.
setInterval(() => {}, 1 << 30);
class StuckCleanup extends FakeRuntimeProvider {
  close() { return new Promise<void>(() => {}); }
}
const fake = new StuckCleanup().script('/stuck/wait', { hang: true });
const ir = compile(pipeline('stuck').exec('wait', 'sleep 1000'));
// The real clock: the hang lasts until the first Ctrl-C cancels it (a virtual one would jump to maxTime).
const run = new Engine(fake).createRun(ir, { images: placeholderImages(ir) });
run.on((e) => { if (e.type === 'state' && e.path === '/stuck/wait' && e.state === 'running') console.log('READY'); });
const code = await executeRun(run, runReporter(ir));
console.log('SUMMARY-RETURNED ' + code);
process.exit(code);
`;

describe('a second Ctrl-C', function () {
  this.timeout(30_000);
  const temps = tempDirs();
  after(() => temps.removeAll());

  it('quits at once with 130 while the first one is still cancelling', async () => {
    const script = join(temps.make('ctrl-c'), 'child.mts');
    writeFileSync(script, CHILD);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const until = async (pattern: RegExp, what: string) => {
      for (let i = 0; i < 200 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, pattern, `${what}; output:\n${out}`);
    };
    try {
      await until(/READY/, 'the node never started');
      child.kill('SIGINT');
      await until(/cancelling \(again to quit at once\)/, 'the first Ctrl-C did not start cancelling');
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running 10 s after the second Ctrl-C'), 10_000))]);
      assert.equal(code, 130, out);
      assert.doesNotMatch(out, /SUMMARY-RETURNED/, 'the run finished cancelling: the test proves nothing');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
