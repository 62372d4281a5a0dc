/**
 * Hooks for real: `caisson run` on Docker with a webhook hook that a test server on 127.0.0.1 receives
 * (a JSON POST per node event, once each), a container hook run by the Docker runtime, and a failing hook
 * that changes no state and is shown by `caisson show`.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HookPayload } from '../../core/index.ts';
import { runCaisson, startCaisson } from '../helpers/cli.ts';

/** `caisson ...args` to its end without blocking this process (the test server must answer meanwhile). */
const caisson = async (dir: string, ...args: string[]) => {
  const c = startCaisson(args, dir, { ...process.env, NO_COLOR: '1' });
  const code = await c.exited;
  return { code, stdout: c.stdout(), stderr: c.stderr() };
};
import { requireDocker } from '../helpers/docker.ts';

const bodyOf = (req: IncomingMessage): Promise<string> => new Promise((resolve) => {
  let body = '';
  req.on('data', (d: Buffer) => { body += d.toString(); });
  req.on('end', () => resolve(body));
});

describe('hooks: a webhook received by a 127.0.0.1 server, through caisson run on Docker', function () {
  this.timeout(180_000);
  before(async function () { await requireDocker(this); });

  it('POSTs one JSON payload per node event; a failing hook changes no state and show lists it', async () => {
    const received: { type: string | undefined; auth: string | undefined; payload: HookPayload }[] = [];
    const server = createServer((req, res) => {
      void bodyOf(req).then((body) => {
        received.push({ type: req.headers['content-type'], auth: req.headers.authorization, payload: JSON.parse(body) as HookPayload });
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'caisson-hooks-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
      writeFileSync(join(dir, 'p.ts'), `
import { containerHook, pipeline, webhook } from ${JSON.stringify(join(import.meta.dirname, '../../core/index.ts'))};
export default pipeline('hooked', { image: 'busybox:latest' })
  .on('done', webhook(${JSON.stringify(`${url}/done`)}, { headers: { authorization: 'Bearer t0ken' } }), { inherited: true })
  .on('error', webhook(${JSON.stringify(`${url}/error`)}), { inherited: true })
  .on('done', webhook(${JSON.stringify(`${url}/fail`)}))
  .on('done', containerHook('busybox:latest', 'test "$CAISSON_HOOK_EVENT $CAISSON_HOOK_PATH" = "done /hooked"'))
  .exec('build', 'echo built')
  .exec('test', 'exit 0', { suppressErrors: true });
`);
      const run = await caisson(dir, 'run', '--no-typecheck', 'p.ts');
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      const got = received.map((r) => `${r.payload.event} ${r.payload.path} ${r.payload.attempt}`).sort();
      assert.deepEqual(got, ['done /hooked 1', 'done /hooked 1', 'done /hooked/build 1', 'done /hooked/test 1']);
      assert.ok(received.every((r) => r.type === 'application/json'));
      const build = received.find((r) => r.payload.path === '/hooked/build')!;
      assert.equal(build.auth, 'Bearer t0ken');
      assert.equal(build.payload.state, 'done');
      assert.equal(build.payload.pipeline, 'hooked');
      assert.match(run.stdout, /\/hooked {2}hook done → webhook http:\/\/127\.0\.0\.1:\d+\/fail: failed: POST .*\/fail answered 500/);
      assert.match(run.stdout, /\/hooked {2}hook done → container busybox:latest test .*: ok/);
      assert.match(run.stdout, /^DONE/m);
      assert.match(run.stdout, /^hook failed: \/hooked done → webhook http:\/\/127\.0\.0\.1:\d+\/fail: POST .* answered 500/m, 'the summary says it');
      const show = runCaisson(dir, 'show');
      assert.match(show.stdout, /hooks that failed \(5 fired\):\n {2}\/hooked {2}done \(attempt 1\) → webhook http:\/\/127\.0\.0\.1:\d+\/fail: POST .* answered 500/);
      // Resume of a finished run fires nothing again (the server answers meanwhile: caisson runs beside this process).
      const before = received.length;
      const id = /run (\S+) of hooked/.exec(show.stdout)![1]!;
      const resumed = await caisson(dir, 'resume', id);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(received.length, before);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
