// Credentials and git sources. A password written into a copyUrl is refused, with advice and without
// showing it (it would sit in the pipeline file, the IR and every record); a token goes in as
// copyCredentials: secret("NAME"), read where the image builds like any secret() (so any process can
// build it), handed to git apart from the URL and masked by the resolve's one scrubber. User info is read
// as the WHATWG URL parser reads it: a password holding "@" whole, percent-encoding decoded.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compile, createCaisson, decodePipeline, image, ImageBuildError, ImageSpecError, maskUrlPasswords, maskUserinfo, pipeline, secret, staticSecrets, stripUserinfo,
  urlUserinfo, type GitCheckoutResult, type GitSource, type PipelineIR,
} from '../../../core/plugin-kit.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { gitImages } from '../../../plugins/image-git/index.ts';
import { runCaisson } from '../../helpers/cli.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';
import { removeProject, tempProject } from '../../helpers/temp-project.ts';


/** Asserts image() throws an ImageSpecError for `option` matching `text` that does not show `hidden`. */
const refuses = (options: Parameters<typeof image>[0], option: string, text: RegExp, hidden: string) =>
  assert.throws(() => image(options), (e: unknown) => e instanceof ImageSpecError && e.message.startsWith(`image "${options.name}": ${option}: `) && text.test(e.message) && !e.message.includes(hidden));

function gitService(builder = new FakeImageBuilder()) {
  process.env.CAISSON_CACHE_DIR = mkdtempSync(join(tmpdir(), 'caisson-cache-'));
  return { builder, images: createCaisson({ plugins: [fakeRuntime(), gitImages(), { name: 'b', imageBuilder: builder }] }).images };
}

describe('copyUrl credentials', function () {
  this.timeout(30_000);

  it('user info as the URL parser reads it: a password holding "@" whole, percent-encoding decoded; shown masked, stripped for git', () => {
    assert.deepEqual(urlUserinfo('https://bot:p@ssw0rd@git.example/acme/app.git'), { username: 'bot', password: 'p@ssw0rd' });
    assert.equal(maskUserinfo('https://bot:p@ssw0rd@git.example/acme/app.git'), 'https://bot:***@git.example/acme/app.git');
    assert.equal(stripUserinfo('https://bot:p@ssw0rd@git.example/acme/app.git'), 'https://git.example/acme/app.git');
    assert.deepEqual(urlUserinfo('https://bot:tokA%2Fbc%2Bd%3D@git.example/r.git'), { username: 'bot', password: 'tokA/bc+d=' });
    assert.equal(maskUserinfo('https://ghp_abc123@github.example/r.git'), 'https://***@github.example/r.git', 'a lone http(s) user info may be a token');
    assert.equal(maskUserinfo('ssh://git@github.example/r.git'), 'ssh://git@github.example/r.git');
    assert.deepEqual(urlUserinfo('git@github.example:acme/r.git'), {});
    assert.deepEqual(urlUserinfo('https://github.example/acme/r@v1.git'), {});
  });

  it('free text (build output): a URL password is masked up to the last "@" of the authority, paths with "@" are left alone', () => {
    assert.equal(maskUrlPasswords('remote: https://someone:x@y@h.example/r.git denied'), 'remote: https://someone:***@h.example/r.git denied');
    assert.equal(maskUrlPasswords('see https://h.example/@scope/pkg and ssh://git@h.example/r'), 'see https://h.example/@scope/pkg and ssh://git@h.example/r');
  });

  it('a password in copyUrl is refused with advice, never shown (one holding "@", a percent-encoded one)', () => {
    refuses({ copyUrl: 'https://bot:p@ssw0rd@git.example/acme/app.git', copyBranch: 'main', name: 'at' }, 'copyUrl',
      /^image "at": copyUrl: https:\/\/bot:\*\*\*@git\.example\/acme\/app\.git holds a password; write the URL without it and pass it as copyCredentials: secret\("NAME"\)/, 'ssw0rd');
    refuses({ copyUrl: 'https://bot:tokA%2Fbc%2Bd%3D@git.example/r.git', copyBranch: 'main', copyCredentials: secret('T'), name: 'enc' }, 'copyUrl', /holds a password/, 'tokA');
  });

  it('a lone http(s) user info is refused unless copyCredentials goes with it (then it is the user name); a lone ssh user is no credential', () => {
    refuses({ copyUrl: 'https://ghp_abc123@github.example/r.git', copyBranch: 'main', name: 'tok' }, 'copyUrl', /holds a user name or token but no copyCredentials go with it/, 'ghp_abc123');
    assert.equal((image({ copyUrl: 'https://bot@github.example/r.git', copyBranch: 'main', copyCredentials: secret('T'), name: 'u' }).spec as { copyUrl: string }).copyUrl, 'https://bot@github.example/r.git');
    assert.equal((image({ copyUrl: 'ssh://git@github.example/r.git', copyBranch: 'main', name: 'ssh' }).spec as { copyUrl: string }).copyUrl, 'ssh://git@github.example/r.git');
  });

  it('a URL the parser refuses that contains "@" is an ImageSpecError naming image and copyUrl, never showing it', () => {
    refuses({ copyUrl: 'http://bot:tokA/bc+d=@git.example/repo.git', copyBranch: 'main', name: 'slash' }, 'copyUrl', /percent-encode/, 'tokA');
  });

  it('caisson compile of such a URL: exit 2, one line, no token; of a "@" password: masked whole', () => {
    const dir = tempProject('cred');
    try {
      for (const [file, url] of [['slash.ts', 'http://bot:tokA/bc+d=@git.example/repo.git'], ['at.ts', 'https://bot:p@ssw0rd@git.example/r.git']] as const) {
        writeFileSync(join(dir, file), `import { image, pipeline } from 'caisson';\nexport default pipeline('p', { image: image({ copyUrl: '${url}', copyBranch: 'main', name: 'x' }) }).exec('a', 'true');\n`);
        const r = runCaisson(dir, 'compile', file, '--no-typecheck');
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /image "x": copyUrl: /);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.ok(!/tokA|ssw0rd/.test(r.stdout + r.stderr), r.stderr);
      }
    } finally {
      removeProject(dir);
    }
  });

  it('another process builds the image: the IR `caisson compile` printed, resolved here, reads the token from the secrets it is given', async () => {
    const dir = tempProject('cred');
    try {
      writeFileSync(join(dir, 'p.ts'), "import { image, pipeline, secret } from 'caisson';\nexport default pipeline('p', { image: image({ copyUrl: 'https://bot@git.example/r.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'repo' }) }).exec('a', 'true');\n");
      const r = runCaisson(dir, 'compile', 'p.ts', '--no-typecheck');
      assert.equal(r.code, 0, r.stderr);
      const ir = decodePipeline(JSON.parse(r.stdout));
      const { builder, images } = gitService();
      await images.resolveAll(ir, { secrets: staticSecrets({ GIT_TOKEN: 'tok-from-the-runner' }) });
      assert.deepEqual(builder.gitFetches.map((s) => s.credential), [{ username: 'bot', password: 'tok-from-the-runner' }]);
    } finally {
      removeProject(dir);
    }
  });

  it('git output quoting the token is masked in the error that leaves the resolve', async () => {
    class FailingGit extends FakeImageBuilder {
      override async fetchGit(source: GitSource): Promise<GitCheckoutResult> {
        throw new ImageBuildError(source.image, `git clone failed: fatal: Authentication failed for 'https://bot:${source.credential?.password}@git.example/r.git'`);
      }
    }
    const { images } = gitService(new FailingGit());
    const ir = compile(pipeline('p', { image: image({ copyUrl: 'https://bot@git.example/r.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'repo' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir, { secrets: staticSecrets({ GIT_TOKEN: 'tok-3fq9-secret' }) }), (e: unknown) =>
      e instanceof ImageBuildError && e.message === "image \"repo\": git clone failed: fatal: Authentication failed for 'https://bot:***@git.example/r.git'" && !String((e as Error).stack).includes('tok-3fq9'));
  });

  it('an ir.json recorded before still decodes; building its image kept in the old process\'s memory says what to do', async () => {
    const old: unknown = {
      apiVersion: 'caisson/v1', name: 'p',
      images: { repo: { kind: 'git', name: 'repo', ref: 'debian:bookworm-slim', dir: '/w', dockerAutoWorkdir: true, copyUrl: 'https://bot:***@git.example/r.git', copyBranch: 'main', copyGit: true, credentials: 'cred-0123456789ab' } },
      root: { kind: 'serial', name: 'p', children: [], cpu: 1, mem: 2, gpu: 0, env: {}, image: 'repo', requiresDocker: false, dockerRunArgs: [], maxTime: 14400, skip: false, suppressErrors: false, tags: [], stopOnError: true },
    };
    const ir: PipelineIR = decodePipeline(old);
    assert.equal((ir.images.repo as { credentials: string }).credentials, 'cred-0123456789ab');
    const { builder, images } = gitService();
    await assert.rejects(images.resolveAll(ir), (e: unknown) => e instanceof ImageSpecError && /^image "repo": copyUrl: this pipeline was compiled by an older Caisson, .* give it as copyCredentials: secret\("NAME"\)/.test(e.message));
    assert.equal(builder.gitFetches.length, 0);
  });
});
