/**
 * Shared helpers for integration tests against the real Docker daemon.
 */
import Docker from 'dockerode';

let reachable: Promise<string | undefined> | undefined;

/** Pings the daemon once per process; resolves to why it is unreachable, or undefined when it answers. */
const whyUnreachable = (): Promise<string | undefined> =>
  (reachable ??= new Docker().ping().then(() => undefined, (e: Error) => e.message));

/**
 * Call in a `before` hook: when no daemon answers, skips the suite with a message — unless env CI is
 * set, where a missing daemon must fail the run rather than pass it silently.
 */
export const requireDocker = async (ctx: Mocha.Context): Promise<void> => {
  const why = await whyUnreachable();
  if (why === undefined) return;
  const msg = `Docker daemon unreachable (${why}); run \`bash scripts/setup-docker.sh\``;
  if (process.env.CI) throw new Error(`${msg}. CI is set, so integration tests must not be skipped.`);
  console.warn(`  skipping: ${msg}`);
  ctx.skip();
};

/** A client for looking at the daemon directly in assertions. */
export const docker = new Docker();

/** Ids of containers (running or not) carrying `label` (`key` or `key=value`). */
export const listLabelled = async (label: string): Promise<string[]> =>
  (await docker.listContainers({ all: true, filters: { label: [label] } })).map((c) => c.Id);

/** A run id unique to this test process and call. */
export const uniqueRunId = (prefix = 'it'): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Collects a command's output per stream. */
export const collectOutput = () => {
  const out = { stdout: '', stderr: '' };
  return { out, onOutput: (s: 'stdout' | 'stderr', chunk: string) => { out[s] += chunk; } };
};
