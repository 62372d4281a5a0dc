// Secrets on the real engine: read from a 0600 .caisson/secrets file, injected into the command, masked
// in output even when the command prints the value in pieces, and absent from the IR and run records.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireDocker } from '../helpers/docker.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/caisson.js');
const CORE = join(ROOT, 'core/index.ts');
const SECRET = 'top-secret-42';

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? filesUnder(p) : [p];
});

describe('secrets on Docker', function () {
  this.timeout(120_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-secrets-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'pipe.ts'), `
import { pipeline, secret } from ${JSON.stringify(CORE)};
export default pipeline('sec', { image: 'busybox:latest', env: { TOKEN: secret('DEPLOY_TOKEN') } })
  .exec('pieces', ${JSON.stringify([
    // Checks the value without writing it whole into the command (the IR holds commands).
    '[ "${TOKEN%-42}" = top-secret ] && [ "${TOKEN#top-secret}" = -42 ] && echo "the command sees the value"',
    "printf 'token: top-'; sleep 0.4; printf 'sec'; sleep 0.4; printf 'ret-42 end\\n'",
    "printf 'err: %s\\n' \"$TOKEN\" >&2",
    "printf 'almost top-secr\\n'",
  ].join('\n'))});
`);
    mkdirSync(join(dir, '.caisson'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: NodeJS.ProcessEnv = {}) => {
    const clean = { ...process.env, ...env };
    if (!('DEPLOY_TOKEN' in env)) delete clean.DEPLOY_TOKEN;
    return spawnSync(process.execPath, [BIN, 'run', 'pipe.ts'], { cwd: dir, encoding: 'utf8', env: clean });
  };

  it('injects the file\'s value and masks it in every output, split or whole, and in no record', () => {
    writeFileSync(join(dir, '.caisson/secrets'), `DEPLOY_TOKEN=${SECRET}\n`);
    chmodSync(join(dir, '.caisson/secrets'), 0o600);
    const r = run();
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\| the command sees the value/);
    assert.match(r.stdout, /\| token: \*\*\* end$/m);
    assert.match(r.stdout, /! err: \*\*\*$/m);
    assert.match(r.stdout, /\| almost top-secr$/m); // a prefix alone is not the secret
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET));
    const records = filesUnder(join(dir, '.caisson/runs'));
    assert.ok(records.some((f) => f.endsWith('ir.json')), records.join('\n'));
    for (const f of records) assert.ok(!readFileSync(f, 'utf8').includes('secret-42'), `${f} holds the secret`);
    // The value really arrived in pieces: the masked line was recorded as more than one chunk.
    const log = readFileSync(records.find((f) => f.endsWith('logs/sec/pieces/1.jsonl'))!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { data: string });
    const first = log.findIndex((c) => c.data.includes('token: '));
    assert.ok(first >= 0 && !log[first]!.data.includes('end'), `the token line came in one chunk: ${JSON.stringify(log)}`);
    const ir = readFileSync(records.find((f) => f.endsWith('ir.json'))!, 'utf8');
    assert.match(ir, /"secrets":\s*\{\s*"TOKEN":\s*"DEPLOY_TOKEN"\s*\}/);
  });

  it('refuses a secrets file others can read, naming it and chmod 600', () => {
    writeFileSync(join(dir, '.caisson/secrets'), `DEPLOY_TOKEN=${SECRET}\n`);
    chmodSync(join(dir, '.caisson/secrets'), 0o644);
    const r = run();
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /secrets file .*\.caisson\/secrets has mode 0644; .*run chmod 600 .*\.caisson\/secrets/);
    assert.ok(!r.stdout.includes('running'), 'nothing ran');
  });

  it('a missing secret fails the node with a reason naming it; the environment is used when set', () => {
    const missing = run();
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /\/sec\/pieces {2}error: secret "DEPLOY_TOKEN" \(env TOKEN of \/sec\/pieces\) is not set: export DEPLOY_TOKEN=… before running, or add a DEPLOY_TOKEN=… line to .*\.caisson\/secrets \(chmod 600\)/);
    const fromEnv = run({ DEPLOY_TOKEN: SECRET });
    assert.equal(fromEnv.status, 0, fromEnv.stdout + fromEnv.stderr);
    assert.match(fromEnv.stdout, /\| token: \*\*\* end$/m);
  });

  it('a secret never crosses nodes through a reused container: no /tmp hand-over either way, nothing unmasked', () => {
    writeFileSync(join(dir, 'handover.ts'), `
import { pipeline, secret } from ${JSON.stringify(CORE)};
export default pipeline('handover', { image: 'busybox:latest' })
  .exec('plain-before', 'echo "container $(hostname)"; echo left-by-plain > /tmp/plain')
  .exec('write', 'echo "container $(hostname)"; printf "%s\\n" "$TOKEN" > /tmp/handover; cat /tmp/plain 2>/dev/null || echo "no plain file"', { env: { TOKEN: secret('DEPLOY_TOKEN') } })
  .exec('read', 'echo "container $(hostname)"; cat /tmp/handover 2>/dev/null || echo "no handover file"');
`);
    const clean = { ...process.env, DEPLOY_TOKEN: SECRET };
    const r = spawnSync(process.execPath, [BIN, 'run', 'handover.ts'], { cwd: dir, encoding: 'utf8', env: clean });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), r.stdout);
    for (const f of filesUnder(join(dir, '.caisson/runs'))) assert.ok(!readFileSync(f, 'utf8').includes(SECRET), `${f} holds the secret`);
    const host = (node: string) => r.stdout.match(new RegExp(`/handover/${node} {2}\\| container (\\S+)`))?.[1];
    assert.ok(host('plain-before') && host('write') && host('read'), r.stdout);
    // The secret-less nodes share a container; the one given the secret ran in another, in both directions.
    assert.equal(host('read'), host('plain-before'));
    assert.notEqual(host('write'), host('read'));
    assert.match(r.stdout, /\/handover\/read {2}\| no handover file$/m);
    assert.match(r.stdout, /\/handover\/write {2}\| no plain file$/m);
  });

  it('masks what bash and busybox set -x print, an unquoted echo, and a PEM key through tr', () => {
    writeFileSync(join(dir, 'forms.ts'), `
import { pipeline, secret } from ${JSON.stringify(CORE)};
const env = { Q: secret('QUOTED'), PEM: secret('PEM_KEY') };
const script = 'set -x; : "$Q"; set +x; echo $Q; echo "$PEM" | tr "\\\\n" " "; echo';
export default pipeline('forms', { env })
  .exec('bash', ['bash', '-c', script], { image: 'debian:bookworm-slim' })
  .exec('busybox', ['sh', '-c', script], { image: 'busybox:latest' });
`);
    const pem = '-----BEGIN TEST KEY-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\nWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\n-----END TEST KEY-----';
    const env = { ...process.env, QUOTED: "it's a s3cret value ", PEM_KEY: pem };
    const r = spawnSync(process.execPath, [BIN, 'run', 'forms.ts'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const shown = r.stdout + r.stderr + filesUnder(join(dir, '.caisson/runs')).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const part of ['s3cret', 'QUJDREVG', 'WVphYmNk', 'TEST KEY']) assert.ok(!shown.includes(part), `${part} shown:\n${r.stdout}`);
    for (const node of ['bash', 'busybox']) {
      assert.match(r.stdout, new RegExp(`/forms/${node} {2}! \\+ : '\\*\\*\\*'$`, 'm')); // the set -x trace, quoted
      assert.match(r.stdout, new RegExp(`/forms/${node} {2}\\| \\*\\*\\*$`, 'm')); // echo $Q, trimmed by the shell
      assert.match(r.stdout, new RegExp(`/forms/${node} {2}\\| \\*\\*\\* \\*\\*\\* \\*\\*\\* \\*\\*\\* $`, 'm')); // the PEM, line by line
    }
  });

  it('resume reads .caisson/secrets again: a reset node gets the secret, masked, with none in the environment', () => {
    writeFileSync(join(dir, '.caisson/secrets'), `DEPLOY_TOKEN=${SECRET}\n`);
    chmodSync(join(dir, '.caisson/secrets'), 0o600);
    const first = run();
    assert.equal(first.status, 0, first.stdout + first.stderr);
    const runId = /run (\S+) of sec started/.exec(first.stdout)![1]!;
    const clean = { ...process.env };
    delete clean.DEPLOY_TOKEN;
    const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: clean });
    const reset = cli('reset', runId, '/sec/pieces');
    assert.equal(reset.status, 0, reset.stdout + reset.stderr);
    const resumed = cli('resume', runId);
    assert.equal(resumed.status, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /\| the command sees the value/);
    assert.match(resumed.stdout, /\| token: \*\*\* end$/m);
    assert.ok(!resumed.stdout.includes(SECRET) && !resumed.stderr.includes(SECRET));
    assert.match(cli('show', runId).stdout, /pieces {2}done {2}attempt 2 /);
  });

  it('refuses a secret shorter than 4 characters, naming it and the node', () => {
    const r = run({ DEPLOY_TOKEN: 'o' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\/sec\/pieces {2}error: secret "DEPLOY_TOKEN" \(env TOKEN of \/sec\/pieces\) is 1 character long: too short to mask/);
  });
});
