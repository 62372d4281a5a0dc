// Every docker CLI call of the BuildKit builder ends its options with "--" before a positional reference
// or context, so a value beginning with "-" can never be read as a flag. A stand-in docker binary
// (CAISSON_DOCKER_CLI) records each argv.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildKitImageBuilder } from '../../../plugins/buildkit/index.ts';
import { tempDirs } from '../../helpers/temp-project.ts';
const temps = tempDirs();

const FAKE_DOCKER = `#!/bin/sh
printf '%s\\n' "$*" >> "$ARGV_LOG"
prev=
for a in "$@"; do
  if [ "$prev" = "--metadata-file" ]; then echo '{"containerimage.config.digest":"sha256:feed"}' > "$a"; fi
  if [ "$prev" = "--secret" ]; then src=\${a#*src=}; echo "secret-file $(stat -c %a "$src") $(cat "$src") $src" >> "$ARGV_LOG.secrets"; fi
  prev=$a
done
case "$1 $2" in
  "image inspect") echo '{"Id":"sha256:abc","Config":{}}' ;;
  "run --rm") echo __caisson_end__ ;;
esac
`;

describe('buildkit: docker argv', () => {
  after(() => temps.removeAll());
  let log: string;
  const saved = process.env.CAISSON_DOCKER_CLI;
  before(() => {
    const dir = temps.make('argv');
    const bin = join(dir, 'docker');
    writeFileSync(bin, FAKE_DOCKER);
    chmodSync(bin, 0o755);
    log = join(dir, 'argv.log');
    process.env.CAISSON_DOCKER_CLI = bin;
    process.env.ARGV_LOG = log;
  });
  after(() => {
    if (saved === undefined) delete process.env.CAISSON_DOCKER_CLI;
    else process.env.CAISSON_DOCKER_CLI = saved;
  });

  it('inspect, probe and build put "--" right before the reference or context', async () => {
    const b = new BuildKitImageBuilder();
    const ctx = temps.make('argv-ctx');
    await b.inspect(['-x']);
    await b.runProbe('-y', 'echo hi');
    await b.build({ context: ctx, dockerfile: 'FROM busybox:latest\n' }, { tag: 'caisson/t:1', image: 't' });
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^image inspect .* -- -x$/);
    assert.match(lines[1]!, /^run .* -- -y -c echo hi$/);
    assert.ok(lines[2]!.startsWith('buildx build ') && lines[2]!.endsWith(` -- ${ctx}`), lines[2]);
  });

  it('build secret values go to 0600 files named by --secret, never onto the command line, and are gone after the build', async () => {
    const b = new BuildKitImageBuilder();
    const ctx = temps.make('argv-ctx');
    await b.build({ context: ctx, dockerfile: 'FROM busybox:latest\n', secretValues: { NPM_TOKEN: 'npm_argv_value' } }, { tag: 'caisson/t:2', image: 't' });
    const argv = readFileSync(log, 'utf8').trim().split('\n').pop()!;
    assert.match(argv, / --secret id=NPM_TOKEN,src=\S+ /);
    assert.ok(!argv.includes('npm_argv_value'), argv);
    const [, mode, value, src] = /^secret-file (\d+) (\S+) (\S+)$/.exec(readFileSync(`${log}.secrets`, 'utf8').trim())!;
    assert.equal(mode, '600');
    assert.equal(value, 'npm_argv_value');
    assert.ok(!existsSync(src!), `${src} left behind`);
  });
});
