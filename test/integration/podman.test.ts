/**
 * The Docker runtime against Podman's Docker-compatible API (Debian's podman 4.3, API 1.41), the engine
 * many users have instead of Docker: the quick-start example through the CLI, and the five container
 * reuse scenarios. scripts/setup-podman.sh (run by npm test) starts the service; with CI set, a missing
 * service fails these tests instead of skipping them.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { CAISSON_BIN } from '../helpers/cli.ts';
import { assertHelloOutput } from './support/hello-output.ts';
import { containersOfRun, describeReuseScenarios } from './support/reuse-scenarios.ts';

const ROOT = join(import.meta.dirname, '../..');
const SOCKET = join(process.env.CAISSON_PODMAN_DIR ?? '/run/caisson-podman', 'podman.sock');
const podman = new Docker({ socketPath: SOCKET });

let answering: Promise<string | undefined> | undefined;
/** Skips (or, with CI set, fails) when no Podman service answers on SOCKET. */
async function requirePodman(ctx: Mocha.Context): Promise<void> {
  const why = await (answering ??= podman.version().then(
    (v) => (/podman/i.test(JSON.stringify(v.Components ?? [])) ? undefined : `${SOCKET} is not Podman (${v.Version})`),
    (e: Error) => e.message,
  ));
  if (why === undefined) return;
  const msg = `Podman's API does not answer (${why}); run \`bash scripts/setup-podman.sh\``;
  if (process.env.CI) throw new Error(`${msg}. CI is set, so the Podman tests must not be skipped.`);
  console.warn(`  skipping: ${msg}`);
  ctx.skip();
}

describe('Podman: the quick start through the CLI', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () { await requirePodman(this); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-podman-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('examples/hello.ts ends done with exactly the output it has on Docker (no attach request echoed into it)', () => {
    const r = spawnSync(process.execPath, [CAISSON_BIN, 'run', join(ROOT, 'examples/hello.ts')], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DOCKER_HOST: `unix://${SOCKET}` },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assertHelloOutput(r.stdout);
    assert.ok(!r.stdout.includes('hijack'), 'the attach request body reached a node\'s output');
  });
});

describeReuseScenarios('Podman: Conducto container_reuse scenarios', requirePodman, () => new DockerRuntimeProvider({ socketPath: SOCKET }), containersOfRun(() => podman));
