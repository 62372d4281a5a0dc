/**
 * Build secrets on the real engine, through the CLI: image({ buildSecrets: { NPM_TOKEN: secret(...) } })
 * with the value in the pipeline folder's .caisson/secrets. A RUN --mount=type=secret step reads the
 * value; the value is in no layer (the whole exported filesystem is searched), the image history or
 * config, the IR, the run's events or meta, and the CLI's output.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';
import { exportCount } from './support/image-files.ts';

const sh = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });


describe('build secrets on the real engine', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = tempProject('build-secrets');
  });
  afterEach(() => removeProject(dir));

  it('the RUN step reads the value; it is in no layer, history, IR, event or output', () => {
    const value = `npm_${createHash('sha256').update(dir).digest('hex').slice(0, 24)}`;
    mkdirSync(join(dir, '.caisson'));
    writeFileSync(join(dir, '.caisson', 'secrets'), `CI_NPM_TOKEN=${value}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'app.ts'), [
      "import { image, pipeline, secret } from 'caisson';",
      'const app = image({',
      `  dockerfileText: 'FROM busybox:latest\\nARG U=${Date.now()}\\nRUN --mount=type=secret,id=NPM_TOKEN sha256sum /run/secrets/NPM_TOKEN > /secret-sha && cat /run/secrets/NPM_TOKEN\\n',`,
      "  buildSecrets: { NPM_TOKEN: secret('CI_NPM_TOKEN') },",
      "  name: 'app',",
      '});',
      "export default pipeline('app', { image: app }).exec('show', 'cut -d\" \" -f1 /secret-sha');",
      '',
    ].join('\n'));
    const run = runCaisson(dir, 'run', 'app.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const runId = run.stdout.match(/run (\S+) of app started/)![1]!;
    assert.equal(runCaisson(dir, 'logs', runId, '/app/show').stdout.trim(), createHash('sha256').update(value).digest('hex'), 'the RUN step did not read the secret');
    const ref = run.stdout.match(/caisson\/app:[0-9a-f]{12}/)![0];
    try {
      assert.equal(exportCount(ref, value), 0, 'the secret is in the image filesystem');
      const recordDir = join(dir, '.caisson', 'runs', runId);
      const texts: Record<string, string> = {
        'docker history': sh('docker', ['history', '--no-trunc', ref]),
        'image config': sh('docker', ['image', 'inspect', ref]),
        'CLI output': run.stdout + run.stderr,
        'caisson compile': runCaisson(dir, 'compile', 'app.ts').stdout,
      };
      for (const f of readdirSync(recordDir)) if (f.endsWith('.json') || f.endsWith('.jsonl')) texts[`record ${f}`] = readFileSync(join(recordDir, f), 'utf8');
      for (const [what, text] of Object.entries(texts)) assert.ok(!text.includes(value), `the secret is in the ${what}`);
      assert.match(texts["caisson compile"]!, /"buildSecrets": \{\s*"NPM_TOKEN": "CI_NPM_TOKEN"\s*\}/);
    } finally {
      execFileSync('docker', ['image', 'rm', '-f', ref], { stdio: 'ignore' });
    }
  });
});
