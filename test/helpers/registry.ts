/**
 * The local registry for integration tests (scripts/setup-swarm.sh starts one on 127.0.0.1:5000, or
 * CAISSON_REGISTRY names another): whether it answers, what it holds (through its HTTP API, not through
 * Caisson), and removing what a test pushed — only the test's own repositories and tags.
 */
import { execFileSync } from 'node:child_process';

/** The registry the tests push to. */
export const TEST_REGISTRY = process.env.CAISSON_REGISTRY || '127.0.0.1:5000';

const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

/** Resolves to why `registry` does not answer `GET /v2/`, or undefined when it does. */
export async function registryProblem(registry = TEST_REGISTRY): Promise<string | undefined> {
  try {
    const r = await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(5000) });
    return r.ok ? undefined : `GET /v2/ answered ${r.status}`;
  } catch (e) {
    return (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
  }
}

/** In a `before` hook: skips without a registry, or fails with CI set (the registry tests must run there). */
export async function requireRegistry(ctx: Mocha.Context, registry = TEST_REGISTRY): Promise<void> {
  const why = await registryProblem(registry);
  if (why === undefined) return;
  const msg = `no registry answers at ${registry} (${why}); run \`bash scripts/setup-swarm.sh\``;
  if (process.env.CI) throw new Error(`${msg}. CI is set, so the registry tests must not be skipped.`);
  console.warn(`  skipping: ${msg}`);
  ctx.skip();
}

/** The digest the registry holds `repository:tag` at (its Docker-Content-Digest), or undefined. */
export async function manifestDigest(repository: string, tag: string, registry = TEST_REGISTRY): Promise<string | undefined> {
  const r = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
  return r.ok ? r.headers.get('docker-content-digest') ?? undefined : undefined;
}

/** The tags of `repository` in the registry ([] when it has none). */
export async function repositoryTags(repository: string, registry = TEST_REGISTRY): Promise<string[]> {
  const r = await fetch(`http://${registry}/v2/${repository}/tags/list`);
  if (!r.ok) return [];
  return ((await r.json()) as { tags?: string[] | null }).tags ?? [];
}

/**
 * Deletes every manifest of `repository` (a repository of the test's own: a manifest delete removes all
 * tags on it), and the local daemon's tags of it (tags only, never an image id).
 */
export async function removeRepository(repository: string, registry = TEST_REGISTRY): Promise<void> {
  for (const tag of await repositoryTags(repository, registry)) {
    const digest = await manifestDigest(repository, tag, registry);
    if (digest) await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
  }
  const local = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `${registry}/${repository}`], { encoding: 'utf8' })
    .split('\n').filter((l) => l && !l.endsWith(':<none>'));
  if (local.length) execFileSync('docker', ['image', 'rm', ...local], { stdio: 'ignore' });
}
