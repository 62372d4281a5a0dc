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
    const output = r.stdout.split('\n').filter((l) => / [|!] /.test(l)).map((l) => l.replace(/^\S+\s+/, ''));
    const text = (path: string) => output.filter((l) => l.startsWith(`${path} `)).map((l) => l.replace(/^\S+\s+[|!] /, ''));
    assert.deepEqual(text('/hello/fan-out/one'), ['one: Hello']);
    assert.deepEqual(text('/hello/fan-out/two'), ['two: argv, no shell']);
    assert.deepEqual(text('/hello/fan-out/three'), ['three: a child env var']);
    assert.match(text('/hello/greet').join('\n'), /^Hello from [0-9a-f]{12}$/);
    assert.equal(text('/hello/bye')[0], 'all done');
    assert.ok(!r.stdout.includes('hijack'), 'the attach request body reached a node\'s output');
    assert.match(r.stdout, /DONE\s+P 0\s+Q 0\s+R 0\s+D 7\s+E 0\s+K 0/);
  });
});

describeReuseScenarios('Podman: Conducto container_reuse scenarios', requirePodman, () => new DockerRuntimeProvider({ socketPath: SOCKET }), containersOfRun(() => podman));
