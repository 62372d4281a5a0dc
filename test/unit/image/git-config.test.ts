// The credential-free copy of a host checkout's .git/config that images get instead of the file itself.
import { strict as assert } from 'node:assert';
import { sanitizeGitConfig } from '../../../core/image/git-config.ts';

const HOST = [
  '[core]',
  '\trepositoryformatversion = 1',
  '[extensions]',
  '\tobjectformat = sha256',
  '[remote "origin"]',
  '\turl = https://bot:tokA@b@git.example/acme/app.git',
  '\tpushurl = https://x-access-token:ghs_push@git.example/acme/app.git',
  '\tfetch = +refs/heads/*:refs/remotes/origin/*',
  '[http "https://git.example/"]',
  '\textraheader = AUTHORIZATION: basic Z2hzX2V4dHJh \\',
  '\t  continued-secret',
  '\tsslVerify = true',
  '[credential "https://git.example"]',
  '\tusername = bot',
  '\thelper = store --file .git/credentials',
  '[url "https://bot:ghs_instead@git.example/"]',
  '\tinsteadOf = https://git.example/',
  '[remote "mirror"]',
  '\turl = http://bot:tokA/bc+d=@git.example/repo.git',
  '[branch "main"]',
  '\tremote = origin',
].join('\n');

describe('git config sanitising', () => {
  it('drops extraheaders (continuations too) and [credential] sections, strips userinfo from every URL, keeps the rest', () => {
    const out = sanitizeGitConfig(HOST);
    for (const secret of ['tokA', 'bc+d=', 'b@git', 'ghs_push', 'Z2hzX2V4dHJh', 'continued-secret', 'ghs_instead', 'helper', 'username']) {
      assert.ok(!out.includes(secret), `${secret} survived:\n${out}`);
    }
    assert.equal(out, [
      '[core]',
      '\trepositoryformatversion = 1',
      '[extensions]',
      '\tobjectformat = sha256',
      '[remote "origin"]',
      '\turl = https://git.example/acme/app.git',
      '\tpushurl = https://git.example/acme/app.git',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '[http "https://git.example/"]',
      '\tsslVerify = true',
      '[url "https://git.example/"]',
      '\tinsteadOf = https://git.example/',
      '[remote "mirror"]',
      '\turl = http://git.example/repo.git',
      '[branch "main"]',
      '\tremote = origin',
    ].join('\n'));
  });
});
