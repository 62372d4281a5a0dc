// Credentials in copyUrl, as the WHATWG URL parser reads them: a password holding "@" is masked whole,
// a URL that cannot be parsed but contains "@" is refused without showing it, and every place that
// masks (the IR, events and errors, what git is given, CAISSON_GIT_URL) agrees.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, compile, image, ImageSpecError, pipeline, redactSecrets, splitCredentials, stripUserinfo } from '../../../core/plugin-kit.ts';
import { runCaisson } from '../../helpers/cli.ts';
import { removeProject, tempProject } from '../../helpers/temp-project.ts';


describe('copyUrl credentials', function () {
  this.timeout(30_000);

  it('a password holding "@" is taken whole: masked in the IR, handed over apart, gone from what git gets', () => {
    const split = splitCredentials('https://bot:p@ssw0rd@git.example/acme/app.git');
    assert.equal(split.url, 'https://bot:***@git.example/acme/app.git');
    assert.deepEqual(split.credential, { username: 'bot', password: 'p@ssw0rd' });
    assert.equal(stripUserinfo('https://bot:p@ssw0rd@git.example/acme/app.git'), 'https://git.example/acme/app.git');
    const ir = compile(pipeline('p', { image: image({ copyUrl: 'https://bot:p@ssw0rd@git.example/acme/app.git', copyBranch: 'main', name: 'at' }) }).exec('a', 'true'));
    assert.ok(!canonicalJson(ir).includes('ssw0rd'), canonicalJson(ir));
  });

  it('percent-encoded userinfo is decoded for git and the encoded form is masked too', () => {
    assert.deepEqual(splitCredentials('https://bot:tokA%2Fbc%2Bd%3D@git.example/r.git').credential, { username: 'bot', password: 'tokA/bc+d=' });
    image({ copyUrl: 'https://bot:tokA%2Fbc%2Bd%3D@git.example/r.git', copyBranch: 'main', name: 'enc' });
    assert.equal(redactSecrets('fatal: could not read https://bot:tokA%2Fbc%2Bd%3D@git.example/r.git and tokA/bc+d='), 'fatal: could not read https://bot:***@git.example/r.git and ***');
  });

  it('a lone token is a token over http(s); a lone ssh user is no credential', () => {
    assert.deepEqual(splitCredentials('https://ghp_abc123@github.example/r.git'), { url: 'https://***@github.example/r.git', credential: { username: 'x-access-token', password: 'ghp_abc123' } });
    assert.deepEqual(splitCredentials('ssh://git@github.example/r.git'), { url: 'ssh://git@github.example/r.git' });
    assert.deepEqual(splitCredentials('git@github.example:acme/r.git'), { url: 'git@github.example:acme/r.git' });
    assert.deepEqual(splitCredentials('https://github.example/acme/r@v1.git'), { url: 'https://github.example/acme/r@v1.git' });
  });

  it('free text: a userinfo password is masked up to the last "@" of the authority, paths with "@" are left alone', () => {
    assert.equal(redactSecrets('remote: https://someone:x@y@h.example/r.git denied'), 'remote: https://someone:***@h.example/r.git denied');
    assert.equal(redactSecrets('see https://h.example/@scope/pkg and ssh://git@h.example/r'), 'see https://h.example/@scope/pkg and ssh://git@h.example/r');
  });

  it('a URL the parser refuses that contains "@" is an ImageSpecError naming image and copyUrl, never showing it', () => {
    assert.throws(() => image({ copyUrl: 'http://bot:tokA/bc+d=@git.example/repo.git', copyBranch: 'main', name: 'slash' }), (e: unknown) =>
      e instanceof ImageSpecError && e.message.startsWith('image "slash": copyUrl: ') && /percent-encode/.test(e.message) &&
      !e.message.includes('tokA') && !e.message.includes('bc+d='));
  });

  it('caisson compile of such a URL: exit 2, one line, no token; of a "@" password: masked whole', () => {
    const dir = tempProject('cred');
    try {
      writeFileSync(join(dir, 'slash.ts'), "import { image, pipeline } from 'caisson';\nexport default pipeline('p', { image: image({ copyUrl: 'http://bot:tokA/bc+d=@git.example/repo.git', copyBranch: 'main', name: 'slash' }) }).exec('a', 'true');\n");
      const bad = runCaisson(dir, 'compile', 'slash.ts', '--no-typecheck');
      assert.equal(bad.code, 2, bad.stdout + bad.stderr);
      assert.match(bad.stderr, /image "slash": copyUrl: /);
      assert.ok(!(bad.stdout + bad.stderr).includes('tokA'), bad.stderr);
      writeFileSync(join(dir, 'at.ts'), "import { image, pipeline } from 'caisson';\nexport default pipeline('p', { image: image({ copyUrl: 'https://bot:p@ssw0rd@git.example/r.git', copyBranch: 'main', name: 'at' }) }).exec('a', 'true');\n");
      const ok = runCaisson(dir, 'compile', 'at.ts', '--no-typecheck');
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /https:\/\/bot:\*\*\*@git\.example\/r\.git/);
      assert.ok(!ok.stdout.includes('ssw0rd'), ok.stdout);
    } finally {
      removeProject(dir);
    }
  });
});
