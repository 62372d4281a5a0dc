// Every docker CLI call of the BuildKit builder ends its options with "--" before a positional reference
// or context, so a value beginning with "-" can never be read as a flag. A stand-in docker binary
// (CAISSON_DOCKER_CLI) records each argv.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildKitImageBuilder } from '../../../plugins/buildkit/index.ts';

const FAKE_DOCKER = `#!/bin/sh
printf '%s\\n' "$*" >> "$ARGV_LOG"
prev=
for a in "$@"; do
  if [ "$prev" = "--metadata-file" ]; then echo '{"containerimage.config.digest":"sha256:feed"}' > "$a"; fi
  prev=$a
done
case "$1 $2" in
  "image inspect") echo '{"Id":"sha256:abc","Config":{}}' ;;
  "run --rm") echo __caisson_end__ ;;
esac
`;

describe('buildkit: docker argv', () => {
  let log: string;
  const saved = process.env.CAISSON_DOCKER_CLI;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-argv-'));
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
    const ctx = mkdtempSync(join(tmpdir(), 'caisson-argv-ctx-'));
    await b.inspect(['-x']);
    await b.runProbe('-y', 'echo hi');
    await b.build({ context: ctx, dockerfile: 'FROM busybox:latest\n' }, { tag: 'caisson/t:1', image: 't' });
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^image inspect .* -- -x$/);
    assert.match(lines[1]!, /^run .* -- -y -c echo hi$/);
    assert.ok(lines[2]!.startsWith('buildx build ') && lines[2]!.endsWith(` -- ${ctx}`), lines[2]);
  });
});
