/**
 * Golden generated Dockerfiles: each built-in kind's plan, and the install section for each distro family.
 * `UPDATE_GOLDEN=1 npx mocha test/golden/dockerfiles` rewrites those that differ and fails for each (review the diff).
 */
import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaseReqsImage, DistroFlavor, DockerfileImage, GitImage, ProbeResult } from '../../../core/index.ts';
import { baseReqsKind } from '../../../plugins/image-base-reqs/index.ts';
import { dockerfileKind } from '../../../plugins/image-dockerfile/index.ts';
import { gitKind } from '../../../plugins/image-git/index.ts';
import { DEBIAN_PROBE, fakePlanContext } from '../../unit/image/support/fake-image-builder.ts';
import { assertGolden } from '../../helpers/golden.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, '..', '..', 'unit', 'image', 'fixture');

const golden = (name: string, text: string): void => assertGolden(join(here, `${name}.Dockerfile`), text);

const DISTROS: Record<DistroFlavor, ProbeResult> = {
  apt: DEBIAN_PROBE,
  apk: { ...DEBIAN_PROBE, distro: { id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine Linux v3.19' }, flavor: 'apk', shell: '/bin/ash' },
  yum: { ...DEBIAN_PROBE, distro: { id: 'centos', versionId: '7', prettyName: 'CentOS Linux 7 (Core)' }, flavor: 'yum' },
  dnf: { ...DEBIAN_PROBE, distro: { id: 'fedora', versionId: '39', prettyName: 'Fedora Linux 39' }, flavor: 'dnf' },
};

const full: BaseReqsImage = {
  kind: 'base-reqs', name: 'full', ref: 'base:1', dir: fixture, dockerAutoWorkdir: true, copyDir: join(fixture, 'app'),
  installPackages: ['jq', 'curl'], installPip: ['requests==2.31.0', './wheels', 'attrs', 'attrs'], installNpm: ['left-pad'], installDocker: true,
};

describe('golden generated Dockerfiles', () => {
  for (const [flavor, probe] of Object.entries(DISTROS)) {
    it(`base+reqs on ${probe.distro.id} (${flavor}): installs, pip, npm, docker, copy`, async () => {
      const plan = await baseReqsKind.plan(full, fakePlanContext(probe));
      golden(`base-reqs-${flavor}`, plan.dockerfile);
      assert.equal(plan.context, full.copyDir);
    });
  }

  it('non-root user with an entrypoint and a CA bundle: USER 0 and back, secret mounts, entrypoint kept in env', async () => {
    const probe = { ...DEBIAN_PROBE, user: 'app', entrypoint: ['/docker-entrypoint.sh', 'serve'] };
    const spec: BaseReqsImage = { kind: 'base-reqs', name: 'ca', ref: 'base:1', dir: fixture, dockerAutoWorkdir: false, installPackages: ['jq'], installNpm: ['left-pad'] };
    const plan = await baseReqsKind.plan(spec, fakePlanContext(probe, '/etc/ssl/host-ca.pem'));
    golden('base-reqs-user-ca', plan.dockerfile);
    assert.deepEqual(plan.secrets, { 'caisson-ca': '/etc/ssl/host-ca.pem' });
  });

  it('git source: clone copied with CAISSON_GIT_* set, git credential files never sent, credentials never shown', async () => {
    const spec: GitImage = { kind: 'git', name: 'g', ref: 'debian:bookworm-slim', dir: fixture, dockerAutoWorkdir: true, copyUrl: 'https://bot@git.example.invalid/acme/app.git', copyBranch: 'main', copyCredentials: 'GIT_TOKEN', copyGit: true, installNpm: true };
    const plan = await gitKind.plan(spec, fakePlanContext(DEBIAN_PROBE));
    golden('git', plan.dockerfile);
    assert.equal(plan.context, '/tmp/clone');
    assert.match(plan.ignore!, /^node_modules\n\.caisson\n\*\*\/\.caisson\n\.git\/config\n\*\*\/\.git\/config\n/);
  });

  it('dockerfile: the user text as is; with installs, a generated stage FROM its result', async () => {
    const provider = dockerfileKind;
    const plain: DockerfileImage = { kind: 'dockerfile', name: 'd', dir: fixture, dockerAutoWorkdir: true, dockerfileText: 'FROM busybox:latest\nARG GREETING\nRUN echo $GREETING > /greeting\n', buildArgs: { GREETING: 'hi' } };
    const p1 = await provider.plan(plain, fakePlanContext(DEBIAN_PROBE));
    assert.equal(p1.dockerfile, plain.dockerfileText);
    assert.deepEqual(p1.buildArgs, { GREETING: 'hi' });
    const p2 = await provider.plan({ ...plain, installPackages: ['jq'], copyDir: join(fixture, 'app') }, fakePlanContext(DEBIAN_PROBE));
    golden('dockerfile-with-reqs', p2.dockerfile);
    await assert.rejects(async () => provider.plan({ ...plain, dockerfileText: '# syntax=docker/dockerfile:1\nFROM a' }, fakePlanContext(DEBIAN_PROBE)), /remove the "# syntax=" line/);
  });

  it('installs on an unknown distro name the image and the distro', async () => {
    const busybox = { ...DEBIAN_PROBE, distro: { id: 'busybox', versionId: 'v1.35.0', prettyName: '' }, flavor: undefined };
    await assert.rejects(async () => baseReqsKind.plan({ ...full, name: 'bb' }, fakePlanContext(busybox)),
      /^ImageSpecError: image "bb": installPackages: don't know how to install packages for distro "busybox"/);
  });
});
