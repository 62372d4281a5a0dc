/**
 * `docker image inspect` over the local socket: used only where the docker CLI would talk to that same
 * socket, and any answer but 200 or 404 sends the caller back to the CLI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectOverSocket, localEngineSocket } from '../../../plugins/buildkit/engine-inspect.ts';

describe('buildkit: image inspect over the local socket', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-engine-inspect-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the socket the CLI would use: the default one, or a unix:// DOCKER_HOST', () => {
    const config = { DOCKER_CONFIG: dir };
    assert.equal(localEngineSocket(config), '/var/run/docker.sock');
    assert.equal(localEngineSocket({ ...config, DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), '/run/user/1000/docker.sock');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'default', auths: {} }));
    assert.equal(localEngineSocket(config), '/var/run/docker.sock', 'the "default" context is the local socket');
  });

  it('none where the CLI would talk to something else: tcp/ssh DOCKER_HOST, a chosen context, a CLI wrapper', () => {
    const config = { DOCKER_CONFIG: dir };
    assert.equal(localEngineSocket({ ...config, DOCKER_HOST: 'tcp://10.0.0.1:2375' }), undefined);
    assert.equal(localEngineSocket({ ...config, DOCKER_HOST: 'ssh://me@build-box' }), undefined);
    assert.equal(localEngineSocket({ ...config, DOCKER_CONTEXT: 'remote' }), undefined);
    assert.equal(localEngineSocket({ ...config, CAISSON_DOCKER_CLI: '/usr/local/bin/docker-wrapper' }), undefined);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    assert.equal(localEngineSocket(config), undefined);
  });

  describe('against an engine on a socket', () => {
    let server: Server;
    let socket: string;
    const asked: string[] = [];
    beforeEach(async () => {
      socket = join(dir, 'engine.sock');
      asked.length = 0;
      server = createServer((req, res) => {
        asked.push(`${req.method} ${req.url}`);
        if (req.url === '/images/busybox%3Alatest/json') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"Id":"sha256:abc"}'); return; }
        if (req.url === '/images/broken/json') { res.writeHead(500); res.end('{"message":"boom"}'); return; }
        res.writeHead(404); res.end('{"message":"No such image"}');
      });
      await new Promise<void>((done) => server.listen(socket, done));
    });
    afterEach(() => new Promise<void>((done) => server.close(() => done())));

    it('200 is the inspect JSON, 404 is absence; the reference is escaped into one path segment', async () => {
      assert.deepEqual(await inspectOverSocket(socket, 'busybox:latest'), { found: true, json: '{"Id":"sha256:abc"}' });
      assert.deepEqual(await inspectOverSocket(socket, 'gone:1'), { found: false });
      assert.deepEqual(asked, ['GET /images/busybox%3Alatest/json', 'GET /images/gone%3A1/json']);
    });

    it('any other status, or no engine at all, is no answer: the caller asks the CLI', async () => {
      assert.equal(await inspectOverSocket(socket, 'broken'), undefined);
      assert.equal(await inspectOverSocket(join(dir, 'nothing.sock'), 'busybox:latest'), undefined);
    });
  });
});
