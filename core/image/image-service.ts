/**
 * The image service: for every image of a pipeline, look its kind up in the table, work out its content
 * address (params + the kind's version + the kind's inputs), ask the builder once which tags exist, build
 * only what is missing (or what a rebuild names), then report the reference, id, shell and workdir each
 * node runs with. It knows no kind: everything kind-specific is in the kind's module (kind.ts).
 */
import type { ImageSpec, PipelineIR, RefImage } from '../ir/codecs.ts';
import { ImageBuildError, ImageSpecError, PluginError } from '../errors.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { stripUserinfo, urlUserinfo } from '../secrets/url-userinfo.ts';
import type { GitCheckoutResult, ImageBuilder } from './contract.ts';
import type { ImageEvent } from './events.ts';
import type { GitSourceRef, ImageKind, InputsContext } from './kind.ts';
import { KindTable } from './kind-table.ts';
import { hashImage } from './hash.ts';
import { imageTag } from './image-tag.ts';
import { buildImage } from './image-build.ts';
import { ImageProber } from './probe.ts';
import { resolveCaBundle } from './ca-bundle.ts';
import { ResolveSecrets } from './resolve-secrets.ts';
import { debugLog, maskDebugLines } from '../debug-log.ts';
import { publishImages, publishRegistry, type PublishOptions } from './publish.ts';

const log = debugLog('images');

/** What a node's containers are created from. */
export interface ResolvedImage {
  /**
   * Reference to create containers from: a content-addressed tag for built images; with `publish`, the
   * registry's digest reference (`<registry>/caisson/<name>@sha256:…`) for every image.
   */
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
  /** Receives build progress (cached, building, step, log, built), every secret read masked. */
  onEvent?: (event: ImageEvent) => void;
  /** Build even when the tag exists, re-running every step: true for all, or image names. */
  rebuild?: boolean | readonly string[];
  /** Build nothing: an image whose tag is missing resolves to its tag alone, with no id (`caisson run --dry-run`). */
  noBuild?: boolean;
  /** Resolve only these images (default: all of the pipeline's); the result holds only them. */
  only?: readonly string[];
  /** CA bundle for install steps: a file, false for none; default CAISSON_CA_BUNDLE, else SSL_CERT_FILE. */
  caBundle?: string | false;
  /**
   * Where the secrets image builds read are found (build secrets, secret package indexes, copyCredentials);
   * default: this process's environment. The CLI passes the runner's environment over the pipeline
   * folder's `.caisson/secrets`.
   */
  secrets?: SecretSource;
  /**
   * Push every image (built ones and plain references) to a registry, and resolve each to its digest
   * reference there, which other machines (a Swarm's nodes) can pull: `{}` for CAISSON_REGISTRY, else
   * 127.0.0.1:5000. A tag the registry already holds at the same digest is not pushed again. Ignored with
   * `noBuild` (a dry run pushes nothing).
   */
  publish?: PublishOptions;
}

export { imageTag } from './image-tag.ts';

/** One image on its way: its reference, and for a built one its kind, params and content hash. */
interface Target { spec: ImageSpec; ref: string; build?: { kind: ImageKind; params: unknown; hash: string } }

/**
 * Turns a pipeline's images table into the references its containers run from: content-addresses each
 * image, builds only what is missing through the kinds and the builder the plugins contributed, and probes
 * shell and workdir. Plain references pass through untouched.
 */
export class ImageService {
  private readonly table: KindTable;
  /** Probes made through this service (cached by image id). */
  readonly prober: ImageProber | undefined;

  /**
   * @param kinds one module per kind (a second module for a name is an error)
   * @param builder the BuildKit builder; without one only plain references resolve
   */
  constructor(kinds: readonly ImageKind[], private readonly builder?: ImageBuilder) {
    this.table = new KindTable(kinds);
    this.prober = builder ? new ImageProber(builder) : undefined;
  }

  /** Image kinds this service can build. */
  kinds(): string[] { return this.table.names(); }

  /**
   * Checks, without building or asking any daemon, that every built image of `ir` has its kind here and
   * params that kind accepts (what `caisson run --dry-run` can tell before a run).
   * @throws PluginError for a kind no plugin contributes; ImageSpecError for params its codec refuses
   */
  checkKinds(ir: PipelineIR): void {
    for (const spec of Object.values(ir.images)) if (spec.kind !== 'ref') this.table.lookup(spec);
  }

  /** Secret names the images of `ir` read while they build, sorted (so a runner knows whether to look for values). */
  secretNames(ir: PipelineIR): string[] { return this.table.secretNames(Object.values(ir.images)); }

  /** Resolves every image of `ir`: builds what is missing, then returns name → ResolvedImage. */
  async resolveAll(ir: PipelineIR, opts: ResolveOptions = {}): Promise<Record<string, ResolvedImage>> {
    const secrets = new ResolveSecrets(opts.secrets);
    // The secrets read so far are masked in every debug line while this runs, too.
    const unmask = maskDebugLines((t) => secrets.scrub(t));
    try {
      return await this.resolve(ir, opts, secrets);
    } catch (e) {
      // One scrubber for everything a resolve shows: its errors too may quote a secret it read.
      if (e instanceof Error) {
        e.message = secrets.scrub(e.message);
        if (e.stack) e.stack = secrets.scrub(e.stack);
      }
      throw e;
    } finally {
      unmask();
    }
  }

  private async resolve(ir: PipelineIR, opts: ResolveOptions, secrets: ResolveSecrets): Promise<Record<string, ResolvedImage>> {
    const emit = (e: ImageEvent) => opts.onEvent?.(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? secrets.scrub(v) : v])) as ImageEvent);
    const specs = Object.values(ir.images).filter((s) => !opts.only || opts.only.includes(s.name));
    // A registry setting that cannot work is told before anything is built.
    const registry = opts.publish && !opts.noBuild ? publishRegistry(opts.publish.registry) : undefined;
    const builder = this.builder;
    if (!builder) {
      if (registry !== undefined) throw new PluginError(`publishing images to ${registry} needs an image builder to push them, but no plugin contributes one; add buildkit() to createCaisson({ plugins })`, { plugins: [], slot: 'imageBuilder' });
      const built = specs.find((s) => s.kind !== 'ref');
      if (built) throw new PluginError(`image "${built.name}" must be built, but no plugin contributes an image builder; add buildkit() to createCaisson({ plugins })`, { plugins: [], slot: 'imageBuilder', image: built.name });
      return Object.fromEntries(specs.map((s) => [s.name, { ref: (s as RefImage).ref, ...(s.shell ? { shell: s.shell } : {}) }]));
    }
    const checkouts = new Map<string, Promise<GitCheckoutResult>>();
    const inputsContext = (image: string): InputsContext => ({
      image,
      signal: opts.signal,
      checkout: (source) => {
        const key = JSON.stringify([source.url, source.branch, source.credentials ?? '']);
        let p = checkouts.get(key);
        if (!p) checkouts.set(key, (p = this.fetchGit(image, source, secrets, opts.signal)));
        return p;
      },
    });

    // 1. Content addresses (hashing is local; git sources fetch). A plain reference is its own address.
    const targets: Target[] = await Promise.all(specs.map(async (spec): Promise<Target> => {
      if (spec.kind === 'ref') return { spec, ref: spec.ref };
      const { kind, params } = this.table.lookup(spec);
      const inputs = (await kind.inputs?.(params, inputsContext(spec.name))) ?? {};
      const hash = hashImage(spec, kind.version, inputs);
      log('content address', { image: spec.name, kind: kind.kind, version: kind.version, inputs: Object.keys(inputs as object), tag: imageTag(spec.name, hash) });
      return { spec, ref: imageTag(spec.name, hash), build: { kind, params, hash } };
    }));

    // 2. One inspect for everything.
    const present = await builder.inspect([...new Set(targets.map((t) => t.ref))], opts.signal);
    const ca = resolveCaBundle(opts.caBundle);

    // 3. Build what is missing, one at a time (2 cores: parallel builds only fight).
    for (const { spec, ref, build } of targets) {
      if (!build) continue;
      const rebuild = opts.rebuild === true || (Array.isArray(opts.rebuild) && opts.rebuild.includes(spec.name));
      if (present.has(ref) && !rebuild) { emit({ type: 'image-cached', image: spec.name, tag: ref }); continue; }
      if (opts.noBuild) continue;
      emit({ type: 'image-build', image: spec.name, tag: ref, reason: rebuild ? 'rebuild' : 'missing' });
      const started = Date.now();
      const { id } = await buildImage({
        builder, prober: this.prober!, image: spec.name, ...build, tag: ref, rebuild, caBundle: ca, emit,
        context: inputsContext(spec.name),
        secret: (name, where) => secrets.required(name, where, spec.name),
        optionalSecret: (name) => secrets.optional(name),
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

    // 5. Publish: every image to the registry, then by digest (after the probes, which ran locally).
    if (registry !== undefined) {
      const items = targets.map(({ spec, ref, build }) => ({ image: spec.name, ref, ...(build ? { hash: build.hash } : {}) }));
      for (const [name, pushed] of await publishImages(builder, items, registry, emit, opts.signal)) {
        out[name] = { ...out[name], ref: pushed.ref, id: pushed.id };
        log('published', { image: name, ref: pushed.ref, tag: pushed.tag, pushed: pushed.pushed });
      }
    }
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

  /** Has the builder check out a git branch on the host, the token read from the secret `credentials` names. */
  private async fetchGit(image: string, source: GitSourceRef, secrets: ResolveSecrets, signal?: AbortSignal): Promise<GitCheckoutResult> {
    const userinfo = urlUserinfo(source.url);
    // The DSL refuses these; an IR written by hand could still hold one.
    if (userinfo.password) throw new ImageSpecError(image, 'copyUrl: the URL holds a password (not shown); write it without one and pass the password as copyCredentials: secret("NAME")');
    if (!source.credentials) return this.builder!.fetchGit({ image, url: source.url, branch: source.branch }, signal);
    const credential = { username: userinfo.username ?? 'x-access-token', password: secrets.required(source.credentials, 'copyCredentials', image) };
    return this.builder!.fetchGit({ image, url: stripUserinfo(source.url), branch: source.branch, credential }, signal);
  }

  private noShell(image: string, ref: string): never {
    throw new ImageBuildError(image, `could not auto-determine the shell of ${ref}: tried bash, ash, zsh, sh but none were available; set shell in image({...}) or use argv commands`);
  }
}
