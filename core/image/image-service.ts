/**
 * The image service: for every image of a pipeline, work out its content address (spec + provider
 * version + inputs), ask the builder once which tags exist, build only what is missing (or what a
 * rebuild names), then report the reference, id, shell and workdir each node runs with.
 */
import type { ImageSpec, PipelineIR } from '../ir/codecs.ts';
import { ImageBuildError, ImageSpecError, PluginError } from '../errors.ts';
import type { GitCheckoutResult, ImageBuilder, ImageProvider } from './contract.ts';
import type { ImageEvent } from './events.ts';
import { hashImage } from './hash.ts';
import { imageTag } from './image-tag.ts';
import { buildImage } from './image-build.ts';
import { hashInputs } from './inputs.ts';
import { ImageProber } from './probe.ts';
import { lookupCredential, redactSecrets, splitCredentials, stripUserinfo } from './credentials.ts';
import { resolveCaBundle } from './ca-bundle.ts';
import { scrubText } from '../secrets/scrubber.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { debugLog, maskDebugLines } from '../debug-log.ts';

const log = debugLog('images');

/** What a node's containers are created from. */
export interface ResolvedImage {
  /** Reference to create containers from (a content-addressed tag for built images). */
  ref: string;
  /** Image id, when the image is present locally. */
  id?: string;
  /** Shell for script commands: the spec's, else the probed one. */
  shell?: string;
  /** The image's working directory. */
  workdir?: string;
}

/** Options of resolveAll. */
export interface ResolveOptions {
  /** Cancels hashing, builds and probes. */
  signal?: AbortSignal;
  /** Receives build progress (cached, building, step, log, built), with credentials redacted. */
  onEvent?: (event: ImageEvent) => void;
  /** Build even when the tag exists, re-running every step: true for all, or image names. */
  rebuild?: boolean | readonly string[];
  /** Resolve only these images (default: all of the pipeline's); the result holds only them. */
  only?: readonly string[];
  /** CA bundle for install steps: a file, false for none; default CAISSON_CA_BUNDLE, else SSL_CERT_FILE. */
  caBundle?: string | false;
  /**
   * Where build secrets (`buildSecrets`) are read when an image builds; default: this process's
   * environment. The CLI passes the runner's environment over the pipeline folder's `.caisson/secrets`.
   */
  secrets?: SecretSource;
}

export { imageTag } from './image-tag.ts';

/** Build secrets from this process's environment (library default). */
const ENV_SECRETS: SecretSource = { get: (n) => process.env[n], howToSet: (n) => `export ${n}=… in the environment of the process that builds images` };

/** What events must not show of a secret value: itself, and the password of a URL it is (as given and decoded). */
function secretForms(value: string): string[] {
  const password = splitCredentials(value).credential?.password;
  return [value, ...(password ? [password, encodeURIComponent(password)] : [])];
}

/** A secret a build needs is set nowhere (becomes the image's ImageBuildError). */
class SecretNotSetError extends Error {
  constructor(where: string, name: string, how: string) { super(`${where}: secret "${name}" is not set; ${how}`); }
}

const providerKey = (spec: ImageSpec): string => (spec.kind === 'custom' ? spec.provider : spec.kind);

/**
 * Turns a pipeline's images table into the references its containers run from: content-addresses each
 * image, builds only what is missing through the registered providers and builder, and probes shell and
 * workdir. Plain references pass through untouched.
 */
export class ImageService {
  private readonly providers = new Map<string, ImageProvider>();
  /** Probes made through this service (cached by image id). */
  readonly prober: ImageProber | undefined;

  /**
   * @param providers one per kind (a second provider for a kind is an error)
   * @param builder the BuildKit builder; without one only plain references resolve
   */
  constructor(providers: readonly ImageProvider[], private readonly builder?: ImageBuilder) {
    for (const p of providers) {
      if (this.providers.has(p.kind)) throw new PluginError(`two image providers for kind "${p.kind}"; give only one`, { plugins: [], slot: 'imageKinds', kind: p.kind });
      this.providers.set(p.kind, p);
    }
    this.prober = builder ? new ImageProber(builder) : undefined;
  }

  /** Image kinds this service can build. */
  kinds(): string[] { return [...this.providers.keys()].sort(); }

  /** Resolves every image of `ir`: builds what is missing, then returns name → ResolvedImage. */
  async resolveAll(ir: PipelineIR, opts: ResolveOptions = {}): Promise<Record<string, ResolvedImage>> {
    // The build secrets read so far: masked in every event and, while this runs, in every debug line.
    const revealed = new Set<string>();
    const unmask = maskDebugLines((t) => scrubText(t, revealed));
    try { return await this.resolve(ir, opts, revealed); } finally { unmask(); }
  }

  private async resolve(ir: PipelineIR, opts: ResolveOptions, revealed: Set<string>): Promise<Record<string, ResolvedImage>> {
    // Every text an event carries is masked: copyUrl credentials, and the build secrets read so far.
    const clean = (v: unknown) => (typeof v === 'string' ? scrubText(redactSecrets(v), revealed) : v);
    const emit = (e: ImageEvent) => opts.onEvent?.(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, clean(v)])) as ImageEvent);
    const source = opts.secrets ?? ENV_SECRETS;
    const optionalSecret = (name: string): string | undefined => {
      const value = source.get(name);
      if (value !== undefined) for (const v of secretForms(value)) revealed.add(v);
      return value;
    };
    const secret = (name: string, where: string): string => {
      const value = optionalSecret(name);
      if (value === undefined) throw new SecretNotSetError(where, name, source.howToSet(name));
      return value;
    };
    const specs = Object.values(ir.images).filter((s) => !opts.only || opts.only.includes(s.name));
    const builder = this.builder;
    if (!builder) {
      const built = specs.find((s) => s.kind !== 'ref');
      if (built) throw new PluginError(`image "${built.name}" must be built, but no plugin contributes an image builder; add buildkit() to createCaisson({ plugins })`, { plugins: [], slot: 'imageBuilder', image: built.name });
      return Object.fromEntries(specs.map((s) => [s.name, { ref: (s as { ref: string }).ref, ...(s.shell ? { shell: s.shell } : {}) }]));
    }
    const checkouts = new Map<string, Promise<GitCheckoutResult>>();
    const checkout = (spec: ImageSpec): Promise<GitCheckoutResult> => {
      if (spec.kind === 'ref' || spec.kind === 'custom' || !spec.copyUrl || !spec.copyBranch) {
        return Promise.reject(new ImageBuildError(spec.name, 'has no copyUrl + copyBranch to check out'));
      }
      let p = checkouts.get(spec.name);
      if (!p) checkouts.set(spec.name, (p = this.fetchGit(spec.name, spec.copyUrl, spec.copyBranch, spec.credentials, opts.signal)));
      return p;
    };

    // 1. Content addresses (hashing is local; git sources fetch).
    const targets = await Promise.all(specs.map(async (spec) => {
      if (spec.kind === 'ref') return { spec, ref: spec.ref };
      const provider = this.providers.get(providerKey(spec));
      if (!provider) throw new PluginError(`image "${spec.name}": no image provider for kind "${providerKey(spec)}" (have: ${this.kinds().join(', ') || 'none'}); add its plugin to createCaisson({ plugins })`, { plugins: [], slot: 'imageKinds', kind: providerKey(spec), image: spec.name });
      provider.validate?.(spec);
      const inputs = { ...(await hashInputs(spec, () => checkout(spec))), ...(provider.fingerprint ? { provider: await provider.fingerprint(spec) } : {}) };
      const hash = hashImage(spec, provider.version, inputs);
      log('content address', { image: spec.name, kind: providerKey(spec), provider: provider.version, inputs: Object.keys(inputs), tag: imageTag(spec.name, hash) });
      return { spec, ref: imageTag(spec.name, hash), provider, hash };
    }));

    // 2. One inspect for everything.
    const present = await builder.inspect([...new Set(targets.map((t) => t.ref))], opts.signal);
    const ca = resolveCaBundle(opts.caBundle);

    // 3. Build what is missing, one at a time (2 cores: parallel builds only fight).
    for (const target of targets) {
      if (!target.provider) continue;
      const { spec, provider, ref } = target;
      const rebuild = opts.rebuild === true || (Array.isArray(opts.rebuild) && opts.rebuild.includes(spec.name));
      if (present.has(ref) && !rebuild) { emit({ type: 'image-cached', image: spec.name, tag: ref }); continue; }
      emit({ type: 'image-build', image: spec.name, tag: ref, reason: rebuild ? 'rebuild' : 'missing' });
      const started = Date.now();
      const { id } = await buildImage({
        builder, prober: this.prober!, spec, provider, tag: ref, hash: target.hash!, rebuild, caBundle: ca, checkout, emit, signal: opts.signal,
        optionalSecret,
        secret: (name, where) => { try { return secret(name, where); } catch (e) { throw e instanceof SecretNotSetError ? new ImageBuildError(spec.name, e.message) : e; } },
      });
      const [inspected] = (await builder.inspect([ref], opts.signal)).values();
      present.set(ref, inspected ?? { id, user: '', entrypoint: [], workdir: '', labels: {} });
      emit({ type: 'image-built', image: spec.name, tag: ref, id, seconds: (Date.now() - started) / 1000 });
    }

    // 4. Shell and workdir from the final images (probes cached by id: a warm run starts no container).
    const out: Record<string, ResolvedImage> = {};
    await Promise.all(targets.map(async ({ spec, ref }) => {
      const inspected = present.get(ref);
      const resolved: ResolvedImage = { ref };
      if (inspected) {
        resolved.id = inspected.id;
        if (inspected.workdir) resolved.workdir = inspected.workdir;
      }
      if (spec.shell) resolved.shell = spec.shell;
      else if (inspected) resolved.shell = (await this.prober!.probe(ref, inspected, opts.signal)).shell ?? this.noShell(spec.name, ref);
      out[spec.name] = resolved;
      log('resolved', { image: spec.name, ...resolved, present: inspected !== undefined });
    }));
    return out;
  }

  /**
   * The references (tags or image ids) of `refs` that are not present locally; none without a builder,
   * which could not tell.
   */
  async absent(refs: readonly string[], signal?: AbortSignal): Promise<string[]> {
    if (!this.builder) return [];
    const present = await this.builder.inspect(refs, signal);
    return refs.filter((r) => !present.has(r));
  }

  /** Has the builder check out a git source on the host, with the copyUrl's credential looked up here. */
  private async fetchGit(image: string, url: string, branch: string, credentials: string | undefined, signal?: AbortSignal): Promise<GitCheckoutResult> {
    const credential = credentials ? lookupCredential(credentials) : undefined;
    if (credentials && !credential) {
      throw new ImageSpecError(image, 'copyUrl: its credentials are only known to the process that defined the image; build images from the process that loads the pipeline file', { option: 'copyUrl' });
    }
    return this.builder!.fetchGit({ image, url: stripUserinfo(url), branch, ...(credential ? { credential } : {}) }, signal);
  }

  private noShell(image: string, ref: string): never {
    throw new ImageBuildError(image, `could not auto-determine the shell of ${ref}: tried bash, ash, zsh, sh but none were available; set shell in image({...}) or use argv commands`);
  }
}
