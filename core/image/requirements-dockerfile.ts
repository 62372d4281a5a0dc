/**
 * The generated Dockerfile (docs/conducto-semantics.md#generated-dockerfile) on top of a base: USER 0 when
 * needed, package installs (one update line), Docker, pip, npm, the code copied to /mnt/caisson, WORKDIR,
 * CAISSON_GIT_* env, the original entrypoint cleared and kept in $ENTRYPOINT. Installs come before COPY, so
 * a changed source file rebuilds only the copy layer. With a CA bundle every install step mounts it as a
 * BuildKit secret.
 */
import type { RequirementFields } from '../ir/codecs.ts';
import { shellJoin, shellQuote } from '../ir/shell-quote.ts';
import { ImageSpecError } from '../errors.ts';
import type { ProbeResult } from './contract.ts';
import { distroCommands } from './distro-commands.ts';
import { copyIgnore } from './context-ignore.ts';
import { stripUserinfo } from '../secrets/url-userinfo.ts';
import { PIP_SECRET_ID } from './pip-config.ts';

/** Where copied code lands (same as the DSL's CODE_DIR). */
const CODE_DIR = '/mnt/caisson';
/** Secret id and in-build path of the CA bundle. Not /etc/ssl/certs: apt's ca-certificates rewrites that file. */
export const CA_SECRET_ID = 'caisson-ca';
const CA_PATH = `/run/secrets/${CA_SECRET_ID}`;
const PIP_CONFIG_PATH = `/run/secrets/${PIP_SECRET_ID}`;
const CA_ENV = ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'PIP_CERT', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'GIT_SSL_CAINFO', 'npm_config_cafile']
  .map((v) => `${v}=${CA_PATH}`).join(' ');

/** Input of renderRequirements. */
export interface RequirementsInput {
  /** Image name, for errors. */
  image: string;
  /** Base reference (FROM). */
  from: string;
  /** What probing the base found. */
  base: ProbeResult;
  /** The install and copy fields of the image definition. */
  spec: RequirementFields & { dockerAutoWorkdir: boolean };
  /** Set when code is copied from the build context; `ignore` is the context's own .dockerignore text. */
  copy?: { ignore: string; gitConfig?: string; gitUrl?: string; gitBranch?: string; gitSha?: string };
  /** Mount the CA bundle secret into install steps. */
  caBundle: boolean;
  /** Mount the generated pip.conf (the package index) into the pip step. */
  pipConfig?: boolean;
}

const isRoot = (user: string) => /^(|0|root)(:.*)?$/.test(user);
const quoteAll = (words: readonly string[]) => words.map(shellQuote).join(' ');
/** `text` as a printf %b argument on one Dockerfile line: backslashes doubled, newlines as \\n. */
const printfLiteral = (text: string) => text.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');

/** Renders the Dockerfile text and the ignore rules for the build context. */
export function renderRequirements(input: RequirementsInput): { dockerfile: string; ignore?: string } {
  const { spec, base, image } = input;
  const lines = [`FROM ${input.from}`];
  const run = (cmd: string, mounts: string[] = []) => {
    const ca = input.caBundle ? [`--mount=type=secret,id=${CA_SECRET_ID},target=${CA_PATH}`] : [];
    lines.push(`RUN ${[...ca, ...mounts].map((m) => `${m} `).join('')}${input.caBundle ? `export ${CA_ENV} && ` : ''}${cmd}`);
  };
  const switchUser = !isRoot(base.user);
  if (switchUser) lines.push('USER 0');

  const pip = spec.installPip ?? [];
  const needsPipPackages = pip.length > 0 && (!base.python || !base.pip);
  const packages = [...(spec.installPackages ?? [])];
  const needsOs = packages.length > 0 || spec.installDocker || needsPipPackages;
  const os = needsOs ? distroCommands(image, base, spec.installPackages?.length ? 'installPackages' : spec.installDocker ? 'installDocker' : 'installPip') : undefined;
  if (os) {
    run(os.update);
    if (packages.length) run(`${os.install} ${quoteAll(packages)}`);
    if (spec.installDocker) {
      run(`${os.install} ${quoteAll(os.curlPackages)}`);
      run('curl -sSL https://get.docker.com/ | sh');
      run(`${os.install} ${quoteAll(os.sshPackages)}`);
    }
    if (needsPipPackages) run(`${os.install} ${quoteAll(os.pipPackages)}`);
  }
  if (pip.length) {
    const py = base.python && base.pip ? base.python.bin : 'python3';
    const local = pip.filter((r) => r.startsWith('./'));
    if (local.length && !input.copy) throw new ImageSpecError(image, `installPip: ${local.join(', ')} are paths in the copied code, but the image copies none; add copyDir, copyUrl or copyRepo`, { option: 'installPip' });
    // Local requirements are bind-mounted from the context, so only their own files decide when this step reruns.
    const mounts = local.map((r) => `--mount=type=bind,source=${r.replace(/^\.\/|\/$/g, '')},target=${CODE_DIR}/${r.replace(/^\.\/|\/$/g, '')},rw`);
    // The package index (credentials and all) reaches pip as a secret file, never as text of this step.
    const index = input.pipConfig ? `PIP_CONFIG_FILE=${PIP_CONFIG_PATH} ` : '';
    if (input.pipConfig) mounts.unshift(`--mount=type=secret,id=${PIP_SECRET_ID},target=${PIP_CONFIG_PATH}`);
    const reqs = [...new Set(pip)].sort();
    // Debian 12+ marks its python "externally managed"; the image is ours to manage.
    run(`${local.length ? `cd ${CODE_DIR} && ` : ''}${index}PIP_BREAK_SYSTEM_PACKAGES=1 ${py} -m pip install --no-cache-dir ${quoteAll(reqs)}`, mounts);
  }
  if (Array.isArray(spec.installNpm) && spec.installNpm.length) run(`mkdir -p ${CODE_DIR} && cd ${CODE_DIR} && npm i ${quoteAll(spec.installNpm)}`);

  let ignore: string | undefined;
  if (input.copy) {
    lines.push(`COPY . ${CODE_DIR}`);
    // The context never sends .git/config (it may hold tokens); its credential-free copy goes in its place.
    if (input.copy.gitConfig !== undefined) lines.push(`RUN printf '%b' ${shellQuote(printfLiteral(input.copy.gitConfig))} > ${CODE_DIR}/.git/config`);
    // npm i with `true` runs after the copy (Conducto ran it before, where it saw no package.json).
    if (spec.installNpm === true) run(`cd ${CODE_DIR} && npm i`);
    ignore = copyIgnore(input.copy.ignore, spec);
  }
  if (switchUser) lines.push(`USER ${base.user}`);
  if (input.copy && spec.dockerAutoWorkdir) lines.push(`WORKDIR ${CODE_DIR}`);
  const env: string[] = [];
  if (input.copy?.gitUrl) env.push(`CAISSON_GIT_URL=${JSON.stringify(stripUserinfo(input.copy.gitUrl))}`);
  if (input.copy?.gitBranch) env.push(`CAISSON_GIT_BRANCH=${JSON.stringify(input.copy.gitBranch)}`);
  if (input.copy?.gitSha) env.push(`CAISSON_GIT_SHA=${input.copy.gitSha}`);
  if (env.length) lines.push(`ENV ${env.join(' ')}`);
  if (base.entrypoint.length) lines.push('ENTRYPOINT []', `ENV ENTRYPOINT=${JSON.stringify(shellJoin(base.entrypoint))}`);
  return { dockerfile: `${lines.join('\n')}\n`, ...(ignore !== undefined ? { ignore } : {}) };
}
