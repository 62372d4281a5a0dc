/**
 * The push step: `docker tag` + `docker push` of a local image into a registry, resolved to the digest
 * reference the registry gave it. Before pushing, the registry is asked for the tag's manifest digest
 * (`docker manifest inspect --insecure`, which speaks HTTPS and plain HTTP alike, with the CLI's logins);
 * when it equals one this daemon recorded for the image (its RepoDigests, written by an earlier push),
 * the push is skipped. The engine does the pushing, so a non-loopback plain-HTTP registry must be in the
 * daemon's insecure-registries.
 */
import type { PushResult, PushTarget } from '../../core/plugin-kit.ts';
import { debugLog, ImageBuildError, ImageNotFoundError, RuntimeUnavailableError } from '../../core/plugin-kit.ts';
import { docker, throwIfUnreachable } from './docker-cli.ts';

const log = debugLog('build');

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** How long asking the registry for a tag's digest may take before the push goes ahead anyway. */
const MANIFEST_TIMEOUT_MS = 10_000;
const tail = (text: string, lines = 5): string => text.trim().split('\n').slice(-lines).join('\n');

/** What the push step reads of a local image. */
interface LocalImage { id: string; repoDigests: string[] }

async function inspectLocal(ref: string, signal?: AbortSignal): Promise<LocalImage | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{json .Id}} {{json .RepoDigests}}', '--', ref], { signal });
  if (r.exitCode !== 0) { throwIfUnreachable(ref, String(r.stderr)); return undefined; }
  const [id, digests] = String(r.stdout).split(' ');
  return { id: JSON.parse(id!) as string, repoDigests: (JSON.parse(digests!) as string[] | null) ?? [] };
}

/** The local image, pulled first when it is missing (a plain reference the daemon has not got). */
async function localImage(ref: string, target: PushTarget, signal?: AbortSignal): Promise<LocalImage> {
  const found = await inspectLocal(ref, signal);
  if (found) return found;
  log('push: pulling a missing image first', { image: target.image, ref });
  const pull = await docker(['pull', '--quiet', '--', ref], { signal });
  const pulled = pull.exitCode === 0 ? await inspectLocal(ref, signal) : undefined;
  if (!pulled) throw new ImageNotFoundError(ref, `${tail(String(pull.stderr), 2) || 'pull failed'}; it is needed to push image "${target.image}" to ${target.registry}`);
  return pulled;
}

/** The digest the registry holds `tagRef` at, or undefined (no such tag, or the registry could not tell). */
async function registryDigest(tagRef: string, signal?: AbortSignal): Promise<string | undefined> {
  // Bounded: the CLI asks from this machine, which may not reach a registry only the daemon and the
  // nodes reach; then the push (through the daemon) decides.
  const r = await docker(['manifest', 'inspect', '--insecure', '--verbose', '--', tagRef], { signal, timeoutMs: MANIFEST_TIMEOUT_MS });
  if (r.exitCode !== 0) return undefined;
  try {
    const answer = JSON.parse(String(r.stdout)) as { Descriptor?: { digest?: string } } | Array<{ Descriptor?: { digest?: string } }>;
    const digest = Array.isArray(answer) ? undefined : answer.Descriptor?.digest;
    return digest && DIGEST.test(digest) ? digest : undefined;
  } catch {
    return undefined;
  }
}

// How the engine says a registry is not there (or not speaking HTTP as expected), in its Go wording.
const UNREACHABLE = /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|connection reset by peer|context deadline exceeded|TLS handshake timeout/i;
const PLAIN_HTTP = /server gave HTTP response to HTTPS client/i;

/** Throws the one error a failed push is: the registry not answering, plain HTTP refused, or the engine's own words. */
function pushFailed(target: PushTarget, tagRef: string, stderr: string): never {
  throwIfUnreachable(target.image, stderr);
  const lines = stderr.trim().split('\n');
  const detail = lines.filter((l) => UNREACHABLE.test(l) || PLAIN_HTTP.test(l)).pop() ?? tail(stderr, 2);
  if (UNREACHABLE.test(stderr)) {
    throw new RuntimeUnavailableError(
      `image "${target.image}": the registry ${target.registry} does not answer, so the image cannot be pushed there (${detail}); start one on 127.0.0.1:5000 (for example \`docker run -d -p 127.0.0.1:5000:5000 registry:2\`), or set CAISSON_REGISTRY to a registry this machine and the cluster's nodes reach`,
      { endpoint: `registry ${target.registry}` },
    );
  }
  if (PLAIN_HTTP.test(stderr)) {
    throw new ImageBuildError(target.image, `pushing ${tagRef}: the registry ${target.registry} speaks plain HTTP, and the Docker daemon only allows that for loopback addresses and its insecure-registries; add "${target.registry}" to "insecure-registries" in the daemon's daemon.json (on every node), or give the registry TLS`);
  }
  throw new ImageBuildError(target.image, `docker push ${tagRef} failed${detail ? `:\n${detail}` : ''}`);
}

/** Tags and pushes `ref` as `target` (skipped when the registry already has it), resolving to its digest reference. */
export async function pushImage(ref: string, target: PushTarget, signal?: AbortSignal): Promise<PushResult> {
  const local = await localImage(ref, target, signal);
  const repo = `${target.registry}/${target.repository}`;
  const tagRef = `${repo}:${target.tag ?? local.id.replace(/^sha256:/, '').slice(0, 12)}`;
  const known = local.repoDigests.filter((d) => d.startsWith(`${repo}@`));
  if (known.length > 0) {
    const digest = await registryDigest(tagRef, signal);
    if (digest && known.includes(`${repo}@${digest}`)) {
      log('push skipped: the registry has the tag at this digest', { image: target.image, tag: tagRef, digest });
      return { ref: `${repo}@${digest}`, tag: tagRef, id: local.id, pushed: false };
    }
  }
  const tagged = await docker(['tag', '--', ref, tagRef], { signal });
  if (tagged.exitCode !== 0) pushFailed(target, tagRef, String(tagged.stderr));
  const pushed = await docker(['push', '--', tagRef], { signal });
  if (pushed.exitCode !== 0) {
    // The registry tag goes again (an untag: `ref` still names the image), so a failed push leaves nothing.
    if (tagRef !== ref) await docker(['image', 'rm', '--', tagRef]);
    if (signal?.aborted) throw new ImageBuildError(target.image, `push of ${tagRef} cancelled`);
    pushFailed(target, tagRef, String(pushed.stderr));
  }
  // The push's last line: "<tag>: digest: sha256:… size: N". RepoDigests is the fallback (older CLIs).
  let digest = String(pushed.stdout).match(/digest: (sha256:[0-9a-f]{64})/)?.[1];
  if (!digest) {
    const after = await inspectLocal(tagRef, signal);
    digest = after?.repoDigests.find((d) => d.startsWith(`${repo}@`))?.slice(repo.length + 1);
  }
  if (!digest) throw new ImageBuildError(target.image, `docker push ${tagRef} reported no digest:\n${tail(String(pushed.stdout))}`);
  log('pushed', { image: target.image, tag: tagRef, digest });
  return { ref: `${repo}@${digest}`, tag: tagRef, id: local.id, pushed: true };
}
