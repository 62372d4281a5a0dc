import { strict as assert } from 'node:assert';
import { flavorOf, parseProbe } from '../../../core/plugin-kit.ts';

const inspected = { user: 'app', entrypoint: ['/docker-entrypoint.sh'], workdir: '/srv' };

describe('probe parsing (docs/conducto-semantics.md#probing)', () => {
  it('reads distro, python, pip and shell from the probe output', () => {
    const out = '__caisson_os__\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n__caisson_python__\npython3 Python 3.11.2\n__caisson_pip__\n/usr/bin/pip3\n__caisson_shell__\n/usr/bin/bash\n__caisson_end__\n';
    const r = parseProbe(out, inspected);
    assert.deepEqual(r.distro, { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    assert.equal(r.flavor, 'apt');
    assert.deepEqual(r.python, { bin: 'python3', version: '3.11.2' });
    assert.equal(r.pip, true);
    assert.equal(r.shell, '/usr/bin/bash');
    assert.equal(r.user, 'app');
    assert.deepEqual(r.entrypoint, ['/docker-entrypoint.sh']);
  });

  it('treats python < 3.5 as no python, and an image with nothing as unknown distro without shell', () => {
    const old = parseProbe('__caisson_os__\nID=centos\n__caisson_python__\npython Python 2.7.18\n__caisson_pip__\n__caisson_shell__\n/bin/sh\n__caisson_end__', inspected);
    assert.equal(old.python, undefined);
    assert.equal(old.flavor, 'yum');
    const empty = parseProbe('__caisson_os__\n__caisson_python__\n__caisson_pip__\n__caisson_shell__\n\n__caisson_end__', inspected);
    assert.equal(empty.flavor, undefined);
    assert.equal(empty.shell, undefined);
  });

  it('maps distro ids to package managers, also through ID_LIKE', () => {
    assert.equal(flavorOf('ubuntu'), 'apt');
    assert.equal(flavorOf('alpine'), 'apk');
    assert.equal(flavorOf('rhel'), 'yum');
    assert.equal(flavorOf('fedora'), 'dnf');
    assert.equal(flavorOf('linuxmint', 'ubuntu debian'), 'apt');
    assert.equal(flavorOf('busybox'), undefined);
  });
});
