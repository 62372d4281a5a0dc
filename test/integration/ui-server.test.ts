// The web UI server's guard and secrecy, without a browser: `caisson ui` on a run (on Docker) whose node
// was given a secret and printed it. Requests without the token, with a foreign Host or Origin, or
// with path tricks are refused, and no reply (JSON, event stream, debug shell) carries the value.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runCaisson, type RunningCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { startWithUi, stop } from '../helpers/browser.ts';

const ROOT = join(import.meta.dirname, '../..');
const SECRET = 'tok-9f3Kq7-zebra-unique';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** One HTTP request with exactly the headers given (fetch would not let a test set Host). */
function send(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string, readMs?: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      const done = () => resolve({ status: res.statusCode!, headers: res.headers, body: text });
      res.on('end', done);
      // An event stream does not end: read it for a while, then hang up.
      if (readMs !== undefined) setTimeout(() => { done(); req.destroy(); }, readMs);
    });
    req.on('error', (e) => { if (readMs === undefined) reject(e); });
    req.end(body);
  });
}

describe('web UI server: who may talk to it, and no secret in a reply', function () {
  this.timeout(180_000);
  let dir: string;
  let ui: (RunningCaisson & { url: string }) | undefined;
  let port: number;
  let token: string;
  let cookie: string;
  let runId: string;
  const origin = () => `http://127.0.0.1:${port}`;
  const authed = (more: Record<string, string> = {}) => ({ cookie, ...more });

  before(async function () {
    await requireDocker(this);
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'tmp', 'ui-server-'));
    mkdirSync(join(dir, '.caisson'), { recursive: true });
    writeFileSync(join(dir, '.caisson/secrets'), `API_TOKEN=${SECRET}\n`);
    chmodSync(join(dir, '.caisson/secrets'), 0o600);
    writeFileSync(join(dir, 'sec.ts'), [
      "import { pipeline, secret } from 'caisson';",
      "export default pipeline('sec', { image: 'busybox:latest', env: { TOKEN: secret('API_TOKEN') } })",
      "  .exec('leak', 'echo \"out:$TOKEN:end\"; echo \"err:$TOKEN:end\" >&2; exit 1');",
    ].join('\n'));
    assert.equal(runCaisson(dir, 'run', 'sec.ts', '--no-typecheck').code, 1);
    runId = readdirSync(join(dir, '.caisson/runs')).find((n) => /^\d{8}-/.test(n))!;
    ui = await startWithUi(['ui'], dir);
    const url = new URL(ui.url);
    port = Number(url.port);
    token = url.searchParams.get('token')!;
    const opened = await send(port, `/?token=${token}`);
    assert.equal(opened.status, 303);
    cookie = String(opened.headers['set-cookie']).split(';')[0]!;
  });
  after(async () => {
    await stop(ui);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the token holder: the printed URL sets an HttpOnly cookie and sends the token out of the address bar', async () => {
    const opened = await send(port, `/?token=${token}`);
    assert.equal(opened.headers.location, '/');
    assert.match(String(opened.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    assert.equal((await send(port, '/api/runs', authed())).status, 200);
    assert.equal((await send(port, '/api/runs', { authorization: `Bearer ${token}` })).status, 200);
  });

  it('refuses a request without the token or its cookie, or with a wrong one', async () => {
    for (const [what, headers, path] of [
      ['no credentials', {}, '/api/runs'],
      ['no credentials, the app', {}, '/'],
      ['a wrong token in the URL', {}, '/?token=wrong'],
      ['a wrong bearer token', { authorization: 'Bearer wrong' }, '/api/runs'],
      ['a forged cookie', { cookie: `caisson_ui_${port}=forged` }, `/api/runs/${runId}`],
    ] as Array<[string, Record<string, string>, string]>) {
      const r = await send(port, path, headers);
      assert.equal(r.status, 401, `${what}: ${r.status} ${r.body}`);
      assert.doesNotMatch(r.body, /"pipeline"|<script/, `${what}: nothing served`);
    }
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with valid credentials', async () => {
    const rebind = await send(port, '/api/runs', authed({ host: `evil.example:${port}` }));
    assert.equal(rebind.status, 403);
    assert.match((JSON.parse(rebind.body) as { error: string }).error, /Host "evil\.example:\d+" is not this server/);
    assert.equal((await send(port, `/?token=${token}`, { host: `evil.example:${port}` })).status, 403, 'not even the token URL');
    assert.equal((await send(port, '/api/runs', authed({ host: '127.0.0.1:1' }))).status, 403, 'another port');
    const foreign = await send(port, '/api/runs', authed({ origin: 'http://evil.example' }));
    assert.equal(foreign.status, 403);
    const act = JSON.stringify({ op: 'reset', path: '/sec/leak' });
    assert.equal((await send(port, `/api/runs/${runId}/actions`, authed({ origin: 'http://evil.example', 'content-type': 'application/json' }), 'POST', act)).status, 403);
    assert.equal((await send(port, `/api/runs/${runId}/actions`, authed({ 'content-type': 'application/json' }), 'POST', act)).status, 403, 'a change needs an Origin');
    // None of the refused ones reset the node.
    const snap = JSON.parse((await send(port, `/api/runs/${runId}`, authed())).body) as { statuses: Record<string, { state: string }> };
    assert.equal(snap.statuses['/sec/leak']!.state, 'error');
  });

  it('refuses the debug shell\'s WebSocket from a foreign Origin or without the cookie', async () => {
    const attempt = (headers: Record<string, string>) => new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/runs/${runId}/shell?path=/sec/leak`, { headers });
      ws.on('open', () => { ws.close(); resolve('opened'); });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', (e) => resolve(`error ${e.message}`));
    });
    assert.match(await attempt({ cookie, origin: 'http://evil.example' }), /403/);
    assert.match(await attempt({ origin: origin() }), /401/);
    assert.match(await attempt({ cookie }), /403/, 'a shell needs an Origin');
  });

  it('rejects path tricks on every route that reads files', async () => {
    for (const path of [
      '/app/../../package.json', '/app/%2e%2e/%2e%2e/package.json', '/vendor/..%2f..%2fpackage.json', '/app/index.html/../../../etc/passwd',
      '/api/runs/..%2F..%2F..%2Fpackage.json', `/api/runs/${runId}%2F..%2F..`, '/api/runs/../../etc',
      `/api/runs/${runId}/log?path=/sec/../../../../etc/passwd&attempt=1`, `/api/runs/${runId}/log?path=/sec/leak&attempt=../../ir`,
      `/api/runs/${runId}/node?path=../../../etc/passwd`, `/api/runs/${runId}/events?log=../../../etc/passwd&attempt=1`,
    ]) {
      const r = await send(port, path, authed());
      assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status}`);
      assert.doesNotMatch(r.body, /root:|"devDependencies"|"apiVersion"/, `${path}: no file content`);
    }
  });

  it('puts no secret value in any reply: lists, snapshot, node panel, log, event stream, debug shell', async () => {
    const replies: Array<[string, string]> = [];
    for (const path of ['/api/session', '/api/runs', `/api/runs/${runId}`, `/api/runs/${runId}/node?path=/sec/leak`, `/api/runs/${runId}/log?path=/sec/leak&attempt=1`]) {
      const r = await send(port, path, authed());
      assert.equal(r.status, 200, `${path}: ${r.body}`);
      replies.push([path, r.body]);
    }
    const events = await send(port, `/api/runs/${runId}/events?from=0&log=/sec/leak&attempt=1`, authed(), 'GET', undefined, 1500);
    assert.equal(events.status, 200);
    replies.push(['events', events.body]);
    // The shell gets the secret in its env (as `caisson debug` does); what it prints is masked on the way out.
    const shell = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/runs/${runId}/shell?path=/sec/leak`, { headers: { cookie, origin: origin() } });
      let out = '';
      const timer = setTimeout(() => { ws.close(); reject(new Error(`the shell printed no marker; got: ${out}`)); }, 60_000);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'input', data: 'echo "shell:$TOKEN:end"; /caisson/cmd.sh; exit\n' })));
      ws.on('message', (data, binary) => { if (!binary) out += String(data); });
      ws.on('close', () => { clearTimeout(timer); resolve(out); });
      ws.on('error', reject);
    });
    replies.push(['shell', shell]);
    assert.match(shell, /shell:\*\*\*:end/, 'the shell had the secret, masked on its way out');
    assert.match(shell, /out:\*\*\*:end/);
    const log = replies.find(([p]) => p.includes('/log?'))![1];
    assert.match(log, /out:\*\*\*:end/);
    assert.match(log, /err:\*\*\*:end/);
    assert.match(replies.find(([p]) => p.includes('/node?'))![1], /"TOKEN":"API_TOKEN"/, 'the panel names the secret');
    for (const [what, body] of replies) assert.ok(!body.includes(SECRET), `${what} carries the secret's value`);
  });
});
