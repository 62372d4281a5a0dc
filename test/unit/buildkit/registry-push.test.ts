// The BuildKit builder's push step against a stand-in docker binary (CAISSON_DOCKER_CLI): the calls it
// makes, when it skips the push, what it reads the digest from, and the one error each failure is.
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageBuildError, ImageNotFoundError, RuntimeUnavailableError, type PushTarget } from '../../../core/index.ts';
import { BuildKitImageBuilder } from '../../../plugins/buildkit/index.ts';
import { tempDirs } from '../../helpers/temp-project.ts';

const temps = tempDirs();
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const ID = `sha256:${'1234567890ab'}${'0'.repeat(52)}`;

// Answers from env: FAKE_DIGESTS (RepoDigests JSON, unset: no such image), FAKE_REMOTE (the registry's
// digest for the tag), FAKE_PUSH_ERR / FAKE_PULL_ERR (stderr of a failing push / pull), FAKE_PUSH_DIGEST.
const FAKE_DOCKER = `#!/bin/sh
printf '%s\\n' "$*" >> "$ARGV_LOG"
case "$1 $2" in
  "image inspect") [ -n "$FAKE_DIGESTS" ] || { echo "Error: No such image: $6" >&2; exit 1; }; echo "\\"$FAKE_ID\\" $FAKE_DIGESTS" ;;
  "image rm") ;;
  "manifest inspect") [ -n "$FAKE_REMOTE" ] || { echo "no such manifest: $6" >&2; exit 1; }; printf '{"Ref":"%s","Descriptor":{"digest":"%s"}}\\n' "$6" "$FAKE_REMOTE" ;;
  "tag --") ;;
  "push --") [ -z "$FAKE_PUSH_ERR" ] || { echo "The push refers to repository [x]"; echo "$FAKE_PUSH_ERR" >&2; exit 1; }; echo "t: digest: $FAKE_PUSH_DIGEST size: 527" ;;
  "pull --quiet") echo "$FAKE_PULL_ERR" >&2; exit 1 ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`;

const ENV = ['CAISSON_DOCKER_CLI', 'ARGV_LOG', 'FAKE_ID', 'FAKE_DIGESTS', 'FAKE_REMOTE', 'FAKE_PUSH_ERR', 'FAKE_PULL_ERR', 'FAKE_PUSH_DIGEST'] as const;
const target: PushTarget = { image: 'tools', registry: '127.0.0.1:5000', repository: 'caisson/tools', tag: 'c0ffee000000' };

describe('buildkit: the push step', () => {
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  let log: string;
  const calls = () => readFileSync(log, 'utf8').trim().split('\n');
  before(() => {
    const dir = temps.make('push');
    const bin = join(dir, 'docker');
    writeFileSync(bin, FAKE_DOCKER);
    chmodSync(bin, 0o755);
    process.env.CAISSON_DOCKER_CLI = bin;
    log = join(dir, 'argv.log');
  });
  beforeEach(() => {
    writeFileSync(log, '');
    Object.assign(process.env, { ARGV_LOG: log, FAKE_ID: ID, FAKE_DIGESTS: '[]', FAKE_REMOTE: '', FAKE_PUSH_ERR: '', FAKE_PULL_ERR: '', FAKE_PUSH_DIGEST: A });
  });
  after(() => {
    temps.removeAll();
    for (const k of ENV) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
  });
  const push = (ref = 'caisson/tools:c0ffee000000', t: PushTarget = target) => new BuildKitImageBuilder().push(ref, t);

  it('an image never pushed: tag, push, and the digest the push printed; the registry is not asked first', async () => {
    const r = await push();
    assert.deepEqual(r, { ref: `127.0.0.1:5000/caisson/tools@${A}`, tag: '127.0.0.1:5000/caisson/tools:c0ffee000000', id: ID, pushed: true });
    assert.deepEqual(calls().map((l) => l.split(' -- ')[0]), ['image inspect --format {{json .Id}} {{json .RepoDigests}}', 'tag', 'push']);
    assert.equal(calls()[1], 'tag -- caisson/tools:c0ffee000000 127.0.0.1:5000/caisson/tools:c0ffee000000');
  });

  it('pushed before at the digest the registry still has for the tag: no push, the same digest reference', async () => {
    process.env.FAKE_DIGESTS = JSON.stringify([`127.0.0.1:5000/caisson/tools@${B}`, `other:5000/caisson/tools@${A}`]);
    process.env.FAKE_REMOTE = B;
    assert.deepEqual(await push(), { ref: `127.0.0.1:5000/caisson/tools@${B}`, tag: '127.0.0.1:5000/caisson/tools:c0ffee000000', id: ID, pushed: false });
    assert.ok(!calls().some((l) => l.startsWith('push') || l.startsWith('tag')), calls().join('\n'));
  });

  it('the registry has the tag at another digest (or not at all): pushed again', async () => {
    process.env.FAKE_DIGESTS = JSON.stringify([`127.0.0.1:5000/caisson/tools@${B}`]);
    process.env.FAKE_REMOTE = A;
    assert.equal((await push()).pushed, true);
    process.env.FAKE_REMOTE = '';
    assert.equal((await push()).pushed, true);
  });

  it('a plain reference without a tag gets the image id as its content tag', async () => {
    const r = await push('busybox:latest', { image: 'bb', registry: '127.0.0.1:5000', repository: 'caisson/bb' });
    assert.equal(r.tag, '127.0.0.1:5000/caisson/bb:1234567890ab');
  });

  it('a registry that does not answer: one RuntimeUnavailableError naming it, the image and the fix; the registry tag is taken back', async () => {
    process.env.FAKE_PUSH_ERR = 'Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused';
    await assert.rejects(push(), (e: unknown) => e instanceof RuntimeUnavailableError && e.endpoint === 'registry 127.0.0.1:5000' && e.message ===
      'image "tools": the registry 127.0.0.1:5000 does not answer, so the image cannot be pushed there (Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused); start one on 127.0.0.1:5000 (for example `docker run -d -p 127.0.0.1:5000:5000 registry:2`), or set CAISSON_REGISTRY to a registry this machine and the cluster\'s nodes reach');
    assert.equal(calls().pop(), 'image rm -- 127.0.0.1:5000/caisson/tools:c0ffee000000');
  });

  it('a plain-HTTP registry the daemon does not trust: an ImageBuildError saying to add it to insecure-registries', async () => {
    process.env.FAKE_PUSH_ERR = 'Get "https://10.0.0.5:5000/v2/": http: server gave HTTP response to HTTPS client';
    await assert.rejects(push('caisson/tools:c0ffee000000', { ...target, registry: '10.0.0.5:5000' }), (e: unknown) =>
      e instanceof ImageBuildError && /the registry 10\.0\.0\.5:5000 speaks plain HTTP.*add "10\.0\.0\.5:5000" to "insecure-registries"/.test(e.message));
  });

  it('any other refusal: an ImageBuildError with the engine\'s words', async () => {
    process.env.FAKE_PUSH_ERR = 'denied: requested access to the resource is denied';
    await assert.rejects(push(), (e: unknown) => e instanceof ImageBuildError && e.message === 'image "tools": docker push 127.0.0.1:5000/caisson/tools:c0ffee000000 failed:\ndenied: requested access to the resource is denied');
  });

  it('a reference missing locally is pulled first; one that cannot be pulled is an ImageNotFoundError naming it', async () => {
    process.env.FAKE_DIGESTS = '';
    process.env.FAKE_PULL_ERR = 'Error response from daemon: pull access denied for nope';
    await assert.rejects(push('nope:1', { image: 'nope', registry: '127.0.0.1:5000', repository: 'caisson/nope' }), (e: unknown) =>
      e instanceof ImageNotFoundError && e.image === 'nope:1' && e.message.includes('pull access denied for nope; it is needed to push image "nope" to 127.0.0.1:5000'));
    assert.ok(calls().includes('pull --quiet -- nope:1'), calls().join('\n'));
  });
});
