/**
 * Attaches to a container's stdin, stdout and stderr over one hijacked connection, the way the docker
 * CLI does: `POST /containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1` with an empty body and
 * `Connection: Upgrade`, then the raw socket.
 *
 * Why not dockerode's `container.attach({ hijack: true })`: docker-modem sends the options as a JSON
 * body, or, with an empty body, as a chunked body it never ends. Docker ignores a hijacked request's
 * body, but Podman's compatible API copies those bytes into the container's stdin, where our driver
 * read `{"stream":true,…}` (or `0\r\n\r\n`) as the first command's input.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

/** What we read of docker-modem's connection settings (its fields are not in dockerode's types). */
interface ModemSettings {
  socketPath?: string | (() => string | Promise<string>);
  host?: string;
  port?: number | string;
  protocol?: string;
  version?: string;
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * Opens the attach connection for `container` through the daemon `docker` talks to. Connections other
 * than a unix socket, http or https (ssh) go through dockerode, whose body Docker ignores.
 */
export async function hijackAttach(docker: Docker, container: Docker.Container): Promise<Duplex> {
  const m = docker.modem as unknown as ModemSettings;
  const protocol = m.socketPath ? 'unix' : (m.protocol ?? 'http');
  if (protocol !== 'unix' && protocol !== 'http' && protocol !== 'https') {
    return container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }) as unknown as Promise<Duplex>;
  }
  const socketPath = typeof m.socketPath === 'function' ? await m.socketPath() : m.socketPath;
  const version = m.version ? `/${m.version.replace(/^\/+/, '')}` : '';
  const options: https.RequestOptions = {
    method: 'POST',
    path: `${version}/containers/${encodeURIComponent(container.id)}/attach?stream=1&stdin=1&stdout=1&stderr=1`,
    headers: { ...m.headers, Host: 'docker', 'Content-Length': '0', Connection: 'Upgrade', Upgrade: 'tcp' },
    ...(socketPath ? { socketPath } : { host: m.host, port: m.port }),
    ...(protocol === 'https' && { ca: m.ca, cert: m.cert, key: m.key }),
  };
  return new Promise<Duplex>((resolve, reject) => {
    const req = (protocol === 'https' ? https : http).request(options);
    req.on('upgrade', (_res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    // No upgrade: the daemon refused (404 for a container that is gone, 500, …); keep its message.
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => {
        let message = body.trim();
        try { message = (JSON.parse(body) as { message?: string }).message ?? message; } catch { /* plain text */ }
        reject(Object.assign(new Error(`attach to container ${container.id.slice(0, 12)}: (HTTP ${res.statusCode}) ${message}`), { statusCode: res.statusCode }));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
