// Every image() refusal, word for word: the error a user reads names the image (its name, or the one it
// would get), the option, and what to write instead. One row per rule of core/dsl/image-checks.ts.
import { strict as assert } from 'node:assert';
import { image, isImage, secret, type ImageOptions } from '../../../core/index.ts';
import { nameForRef } from '../../../core/dsl/image.ts';
import { throwsCode } from '../../helpers/errors.ts';

const AS_SECRET = 'pass it as copyCredentials: secret("NAME") (set NAME in the environment or .caisson/secrets), so it is read when the image builds and never written into the pipeline';
const INDEX_SECRET = 'the URL holds a credential; pass it as secret("NAME") (set NAME in the environment or .caisson/secrets), so it is read at build time and never written into the pipeline';
const PIP_URL = 'expected a URL like "https://pypi.example/simple/" or secret("NAME")';

/** [what, options, option named, message after `image "x": `] */
const refused: Array<[string, Record<string, unknown>, string, string]> = [
  ['a blank ref', { ref: '  ' }, 'ref', 'ref: expected a Docker image reference like "node:20", got "  "'],
  ['a ref that is a number', { ref: 7 }, 'ref', 'ref: expected a Docker image reference like "node:20", got 7'],
  ['an image that is a number', { image: 7 }, 'image', 'image: expected a Docker image reference like "node:20", got 7'],
  ['an empty dockerfile', { dockerfile: '' }, 'dockerfile', 'dockerfile: expected a non-empty string, got ""'],
  ['a shell that is a number', { ref: 'a', shell: 5 }, 'shell', 'shell: expected a non-empty string, got 5'],
  ['an empty copyBranch', { ref: 'a', copyBranch: '' }, 'copyBranch', 'copyBranch: expected a non-empty string, got ""'],
  ['a provider that is a number', { provider: 5 }, 'provider', "provider: expected the name of a plugin's image kind or the kind itself (made with defineImageKind)"],
  ['an empty provider', { provider: '' }, 'provider', "provider: expected the name of a plugin's image kind or the kind itself (made with defineImageKind)"],
  ['a relative dir', { ref: 'a', dir: 'rel' }, 'dir', 'dir: expected the absolute folder relative paths resolve from, like import.meta.dirname, got "rel"'],
  ['a dir that is a number', { ref: 'a', dir: 3 }, 'dir', 'dir: expected the absolute folder relative paths resolve from, like import.meta.dirname, got 3'],
  ['copyRepo as a string', { ref: 'a', copyRepo: 'yes' }, 'copyRepo', 'copyRepo: expected true or false, got "yes"'],
  ['installDocker as a number', { ref: 'a', installDocker: 1 }, 'installDocker', 'installDocker: expected true or false, got 1'],
  ['dockerAutoWorkdir as a string', { ref: 'a', dockerAutoWorkdir: 'no' }, 'dockerAutoWorkdir', 'dockerAutoWorkdir: expected true or false, got "no"'],
  ['installPackages as a string', { ref: 'a', installPackages: 'jq' }, 'installPackages', 'installPackages: expected an array of non-empty strings, got "jq"'],
  ['a blank installPip entry', { ref: 'a', installPip: ['x', ' '] }, 'installPip', 'installPip: expected an array of non-empty strings; entry 1 is " "'],
  ['an undefined installPip entry', { ref: 'a', installPip: ['x', undefined] }, 'installPip', 'installPip: expected an array of non-empty strings; entry 1 is undefined'],
  ['installNpm false', { ref: 'a', installNpm: false }, 'installNpm', 'installNpm: expected true or an array of package names'],
  ['an empty installNpm name', { ref: 'a', installNpm: ['a', ''] }, 'installNpm', 'installNpm: expected true or an array of package names'],
  ['dockerBuildArgs as an array', { dockerfileText: 'FROM a', dockerBuildArgs: ['A=1'] }, 'dockerBuildArgs', 'dockerBuildArgs: expected an object of string values like { VERSION: "1.2" }, got ["A=1"]'],
  ['dockerBuildArgs null', { dockerfileText: 'FROM a', dockerBuildArgs: null }, 'dockerBuildArgs', 'dockerBuildArgs: expected an object of string values like { VERSION: "1.2" }, got null'],
  ['pathMap as a string', { ref: 'a', pathMap: 'x' }, 'pathMap', 'pathMap: expected an object mapping host paths to container paths, got "x"'],
  ['a pathMap value left undefined', { ref: 'a', pathMap: { '/a': undefined } }, 'pathMap', 'pathMap: /a: expected a string, got undefined'],
  ['a build arg that is true', { dockerfileText: 'FROM a', dockerBuildArgs: { DEBUG: true } }, 'dockerBuildArgs', 'dockerBuildArgs: DEBUG: expected a string, got true (write "true")'],
  ['a build arg that is an object', { dockerfileText: 'FROM a', dockerBuildArgs: { A: {} } }, 'dockerBuildArgs', 'dockerBuildArgs: A: expected a string, got {}'],
  ['params as an array', { provider: 'k', params: [1] }, 'params', 'params: expected an object'],
  ['params null', { provider: 'k', params: null }, 'params', 'params: expected an object'],
  ['buildSecrets as an array', { dockerfileText: 'FROM a', buildSecrets: [] }, 'buildSecrets', 'buildSecrets: expected an object like { NPM_TOKEN: secret("NPM_TOKEN") }, got []'],
  ['a build secret id with a comma', { dockerfileText: 'FROM a', buildSecrets: { 'a,b': secret('TOKEN') } }, 'buildSecrets', 'buildSecrets: "a,b": expected an id of letters, digits, "_", "." and "-" (it names /run/secrets/<id> in RUN --mount=type=secret,id=<id>)'],
  ['a build secret given as plain text', { dockerfileText: 'FROM a', buildSecrets: { NPM: 'tok' } }, 'buildSecrets', 'buildSecrets: NPM: expected secret("NAME"), got a plain value; a build secret is read when the image builds, never written into the pipeline'],
  ['copyCredentials as plain text', { copyUrl: 'https://h/r.git', copyBranch: 'm', copyCredentials: 'tok' }, 'copyCredentials', 'copyCredentials: expected secret("NAME"), got a plain value; a token is read when the image builds, never written into the pipeline'],
  ['a password in copyUrl', { copyUrl: 'https://u:pw@h/r.git', copyBranch: 'm' }, 'copyUrl', `copyUrl: https://u:***@h/r.git holds a password; write the URL without it and ${AS_SECRET}`],
  ['a token in copyUrl without copyCredentials', { copyUrl: 'https://tok@h/r.git', copyBranch: 'm' }, 'copyUrl', `copyUrl: https://***@h/r.git holds a user name or token but no copyCredentials go with it; a token goes out of the URL: ${AS_SECRET}`],
  ['an ftp pipIndexUrl', { ref: 'a', installPip: ['x'], pipIndexUrl: 'ftp://h' }, 'pipIndexUrl', `pipIndexUrl: ${PIP_URL}, got "ftp://h"`],
  ['a pipIndexUrl that is a number', { ref: 'a', installPip: ['x'], pipIndexUrl: 5 }, 'pipIndexUrl', `pipIndexUrl: ${PIP_URL}, got 5`],
  ['a password in pipIndexUrl', { ref: 'a', installPip: ['x'], pipIndexUrl: 'https://u:p@h/simple' }, 'pipIndexUrl', `pipIndexUrl: ${INDEX_SECRET}`],
  ['a user name in pipIndexUrl', { ref: 'a', installPip: ['x'], pipIndexUrl: 'https://u@h/simple' }, 'pipIndexUrl', `pipIndexUrl: ${INDEX_SECRET}`],
  ['pipExtraIndexUrls as a string', { ref: 'a', installPip: ['x'], pipExtraIndexUrls: 'https://h/s' }, 'pipExtraIndexUrls', 'pipExtraIndexUrls: expected an array of URLs or secret("NAME") values'],
  ['a bad pipExtraIndexUrls entry', { ref: 'a', installPip: ['x'], pipExtraIndexUrls: ['https://h/s', 'nope'] }, 'pipExtraIndexUrls', `pipExtraIndexUrls: ${PIP_URL}, got "nope"`],
  ['pipIndexUrl without installPip', { ref: 'a', pipIndexUrl: 'https://h/s' }, 'pipIndexUrl', 'pipIndexUrl: applies to installPip only (the index pip installs from)'],
  ['pipExtraIndexUrls without installPip', { ref: 'a', pipExtraIndexUrls: ['https://h/s'] }, 'pipExtraIndexUrls', 'pipExtraIndexUrls: applies to installPip only (the index pip installs from)'],
  ['both ref and image', { ref: 'a', image: 'b' }, 'image', 'image: give the base image as ref or image, not both'],
  ['copyRepo with copyUrl', { copyRepo: true, copyUrl: 'https://h/r.git', copyBranch: 'm' }, 'copyRepo', 'copyRepo: copyRepo copies the enclosing repository; do not combine it with copyDir or copyUrl'],
  ['copyCredentials with nothing to clone', { ref: 'a', copyCredentials: secret('TOKEN') }, 'copyCredentials', 'copyCredentials: applies to copyUrl, or to copyRepo with copyBranch (the clone it authenticates)'],
  ['copyCredentials on copyRepo without copyBranch', { copyRepo: true, copyCredentials: secret('TOKEN') }, 'copyCredentials', 'copyCredentials: applies to copyUrl, or to copyRepo with copyBranch (the clone it authenticates)'],
  ['buildSecrets without a Dockerfile', { ref: 'a', buildSecrets: { N: secret('TOKEN') } }, 'buildSecrets', 'buildSecrets: build secrets apply to dockerfile or dockerfileText only (a RUN --mount=type=secret step of your own Dockerfile reads them)'],
  ['context without a Dockerfile', { ref: 'a', context: '.' }, 'context', 'context: context applies to dockerfile or dockerfileText only; use copyDir to copy code'],
  ['params without a provider', { ref: 'a', params: {} }, 'params', 'params: params belong to a plugin image kind; set provider too'],
  ['a provider with a ref', { provider: 'k', ref: 'a' }, 'provider', 'provider: a plugin image kind builds its own image; do not combine provider with ref/dockerfile/dockerfileText'],
  ['a provider with a dockerfileText', { provider: 'k', dockerfileText: 'FROM a' }, 'provider', 'provider: a plugin image kind builds its own image; do not combine provider with ref/dockerfile/dockerfileText'],
];

describe('image(): every refusal, word for word', () => {
  for (const [what, options, option, message] of refused) {
    it(`${what}: ${option}`, () => {
      const e = throwsCode(() => image({ ...options, name: 'x' } as ImageOptions), 'IMAGE_SPEC', { image: 'x', option });
      assert.equal(e.message, `image "x": ${message}`);
    });
  }

  it('what is not an options object, an unknown option, or a bad name is a DslError naming image()', () => {
    const dsl = (options: unknown, option: string | undefined, message: string) => {
      const e = throwsCode(() => image(options as ImageOptions), 'DSL', { path: 'image()', ...(option && { option }) });
      assert.equal(e.message, message);
    };
    dsl(null, undefined, 'image(): expected an options object like { ref: "node:20" }, got null');
    dsl('node:20', undefined, 'image(): expected an options object like { ref: "node:20" }, got node:20');
    dsl({ ref: 'a', colour: 'red' }, 'colour', 'image(): unknown option "colour"; known options: ref, image, dockerfile, dockerfileText, dockerBuildArgs, buildSecrets, context, copyDir, copyUrl, copyBranch, copyCredentials, copyRepo, dockerAutoWorkdir, installPackages, installPip, pipIndexUrl, pipExtraIndexUrls, installNpm, installDocker, pathMap, name, shell, provider, params, dir');
    for (const [name, shown] of [['a/b', '"a/b"'], ['', '""'], [3, '3']] as const) {
      dsl({ ref: 'a', name }, 'name', `image(): name: expected a non-empty name without "/", got ${shown}`);
    }
  });

  it('an unnamed image is called by the name it would get: from its ref, folder, repository, Dockerfile or kind', () => {
    const calledBy = (options: Record<string, unknown>) =>
      /^image "([^"]+)": /.exec(throwsCode(() => image(options as ImageOptions), 'IMAGE_SPEC').message)?.[1];
    assert.equal(calledBy({ shell: 5 }), '(unnamed image)');
    assert.equal(calledBy({ ref: '  ', shell: 5 }), '(unnamed image)');
    assert.equal(calledBy({ ref: 'node:20', shell: 5 }), 'node-20');
    assert.equal(calledBy({ image: 'node:20', shell: 5 }), 'node-20');
    assert.equal(calledBy({ name: 'mine', shell: 5 }), 'mine');
    for (const option of ['installPackages', 'installPip', 'installNpm', 'installDocker']) {
      assert.equal(calledBy({ [option]: 'x' }), 'debian-bookworm-slim', `${option} alone builds on the default base`);
    }
    assert.equal(calledBy({ dockerfile: './Dockerfile', shell: 5, dir: '/srv/app' }), 'app-dockerfile');
    assert.equal(calledBy({ dockerfileText: 'FROM a', shell: 5, dir: '/srv/app' }), 'app-dockerfile');
    assert.equal(calledBy({ copyDir: './web', shell: 5, dir: '/srv/app' }), 'web-debian-bookworm-slim');
    assert.equal(calledBy({ copyDir: './web', ref: 'node:20', shell: 5, dir: '/srv/app' }), 'web-node-20');
    assert.equal(calledBy({ copyUrl: 'https://u:pw@h/team/r.git', copyBranch: 'main', dir: '/srv/app' }), 'r-debian-bookworm-slim');
    assert.equal(calledBy({ provider: 'motd', params: [1] }), 'motd');
    assert.equal(calledBy({ provider: { kind: 'files' }, params: 5 }), 'files');
    assert.equal(calledBy({ provider: '  ', params: 1 }), '(unnamed image)');
  });

  it('nameForRef makes a table name of a reference; isImage knows image() values only', () => {
    assert.equal(nameForRef('node:20'), 'node-20');
    assert.equal(nameForRef('..registry.example:5000/team/app:1.2--'), 'registry.example-5000-team-app-1.2');
    assert.equal(nameForRef('a//b::c'), 'a-b-c');
    assert.equal(nameForRef('@@'), 'image');
    assert.equal(isImage(image({ ref: 'node:20' })), true);
    assert.equal(isImage({ kind: 'caisson.image' }), true);
    for (const v of [null, undefined, 'node:20', { kind: 'other' }, {}]) assert.equal(isImage(v), false, String(v));
  });
});
