/**
 * Image specs in the IR (v1): a plain reference, the three built-in kinds (flat: their fields are the
 * spec's), and a plugin's kind (`custom`: its module's params under `params`). Core keeps these codecs,
 * not the kinds' plugins, because the IR is the contract every process decodes without plugins (show,
 * resume, a UI); the kind modules decode the same specs again, as their params. Paths are absolute (the
 * DSL resolved them against `dir`, the folder of the file that defined the image). No credential is
 * ever in a spec: a git token is a secret's name (`copyCredentials`). Every kind has an optional `ref`
 * (the base image when known) so readers can treat any spec alike.
 */
import * as t from 'io-ts';

const StringList = t.array(t.string);
/** A package index URL as the IR holds it: a plain URL (no credentials), or a secret's name. */
const IndexUrl = t.union([t.string, t.type({ secret: t.string })]);

/**
 * An exact object of required and optional fields. Unlike t.intersection, errors carry plain field paths
 * ("images.x.ref", not "images.x.0.ref"), and unknown fields are dropped as t.exact does.
 */
function objectCodec<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) {
  const req = t.type(required);
  const opt = t.partial(optional);
  const exact = t.exact(t.intersection([req, opt]));
  type A = t.TypeOf<typeof exact>;
  return new t.Type<A, A, unknown>(name, exact.is, (u, c) => {
    const a = req.validate(u, c);
    const b = opt.validate(u, c);
    if (a._tag === 'Left' || b._tag === 'Left') return t.failures([...(a._tag === 'Left' ? a.left : []), ...(b._tag === 'Left' ? b.left : [])]);
    return exact.validate(u, c);
  }, exact.encode);
}
const PathMap = t.record(t.string, t.string, 'PathMap');

/** Fields shared by every kind: how nodes run in it and where host paths land inside it. */
const Common = {
  /** Shell for script commands; absent = probed (bash, ash, zsh, sh). */
  shell: t.string,
  /** Absolute host path → path inside the container (docs/conducto-semantics.md#host-paths). Inferred from copyDir / copyRepo. */
  pathMap: PathMap,
};

/** What the generated install + copy stage adds on top of a base (docs/conducto-semantics.md#generated-dockerfile). */
const Requirements = {
  installPackages: StringList,
  installPip: StringList,
  /** pip's index-url for installPip; a `{ secret }` is read when the image builds. */
  pipIndexUrl: IndexUrl,
  /** pip's extra-index-url entries. */
  pipExtraIndexUrls: t.array(IndexUrl),
  /** true = `npm i` in /mnt/caisson (after the code is copied); a list = those packages. */
  installNpm: t.union([t.literal(true), StringList]),
  installDocker: t.boolean,
  /** Absolute host directory copied to /mnt/caisson (honouring its .dockerignore). */
  copyDir: t.string,
  /** Git URL to clone on the host and copy to /mnt/caisson; never with a password in it. */
  copyUrl: t.string,
  copyBranch: t.string,
  /** Name of the secret holding the copyUrl's token or password (read when the image builds, like secret()). */
  copyCredentials: t.string,
  /** Records of older versions: the id of a credential kept in the defining process's memory (refused when building). */
  credentials: t.string,
  /** Keep `.git` in the copy and set CAISSON_GIT_SHA (copyRepo and clones). */
  copyGit: t.boolean,
  /** Origin URL recorded for CAISSON_GIT_URL with copyRepo in local mode. */
  gitUrl: t.string,
};

/** A plain reference, used as is. */
export const RefImage = objectCodec('RefImage',
  { kind: t.literal('ref'), name: t.string, ref: t.string },
  Common,
);
export type RefImage = t.TypeOf<typeof RefImage>;

/** A base image plus installs and/or copied code. */
export const BaseReqsImage = objectCodec('BaseReqsImage',
  { kind: t.literal('base-reqs'), name: t.string, ref: t.string, dir: t.string, dockerAutoWorkdir: t.boolean },
  { ...Common, ...Requirements },
);
export type BaseReqsImage = t.TypeOf<typeof BaseReqsImage>;

/** A base image plus a git source cloned on the host (copyUrl + copyBranch, or copyRepo with a branch). */
export const GitImage = objectCodec('GitImage',
  { kind: t.literal('git'), name: t.string, ref: t.string, dir: t.string, dockerAutoWorkdir: t.boolean, copyUrl: t.string, copyBranch: t.string },
  { ...Common, ...Requirements },
);
export type GitImage = t.TypeOf<typeof GitImage>;

/** The user's Dockerfile (a file or inline text), optionally with installs/copies on top. */
export const DockerfileImage = objectCodec('DockerfileImage',
  { kind: t.literal('dockerfile'), name: t.string, dir: t.string, dockerAutoWorkdir: t.boolean },
  {
    ...Common, ...Requirements, ref: t.string, dockerfile: t.string, dockerfileText: t.string, context: t.string, buildArgs: t.record(t.string, t.string),
    /** BuildKit secret id → secret name; the value is read when the image builds, never stored. */
    buildSecrets: t.record(t.string, t.string),
  },
);
export type DockerfileImage = t.TypeOf<typeof DockerfileImage>;

/** An image kind added by a plugin: `provider` names its module, `params` is the JSON the module's codec decodes. */
export const CustomImage = objectCodec('CustomImage',
  { kind: t.literal('custom'), name: t.string, provider: t.string, dir: t.string, params: t.record(t.string, t.unknown) },
  { ...Common, ref: t.string },
);
export type CustomImage = t.TypeOf<typeof CustomImage>;

/** Requirement fields of the built kinds, for code that renders installs and copies. */
export type RequirementFields = Partial<Pick<BaseReqsImage,
  'installPackages' | 'installPip' | 'pipIndexUrl' | 'pipExtraIndexUrls' | 'installNpm' | 'installDocker' | 'copyDir' | 'copyUrl' | 'copyBranch' | 'copyCredentials' | 'credentials' | 'copyGit' | 'gitUrl'>>;
