/**
 * A private Python package index for tests: a tiny wheel built here (a zip with METADATA, WHEEL and
 * RECORD) served as a PEP 503 simple index on 127.0.0.1, under /open/ without auth and under /private/
 * behind Basic auth. No PyPI needed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WHEEL_SCRIPT = `
import sys, zipfile, hashlib, base64, os
d, name, value = sys.argv[1], sys.argv[2], sys.argv[3]
files = {name + '/__init__.py': 'VALUE = "' + value + '"\\n',
         name + '-0.1.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: ' + name + '\\nVersion: 0.1\\n',
         name + '-0.1.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: caisson-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = []
with zipfile.ZipFile(os.path.join(d, name + '-0.1-py3-none-any.whl'), 'w') as z:
    for n, text in files.items():
        data = text.encode()
        z.writestr(n, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append(f'{n},sha256={digest},{len(data)}')
    record.append(name + '-0.1.dist-info/RECORD,,')
    z.writestr(name + '-0.1.dist-info/RECORD', '\\n'.join(record) + '\\n')
`;

/** A running index: its base URL (no trailing slash), the requests it saw (with whether auth matched), and close(). */
export interface PipIndex { url: string; requests: string[]; close: () => Promise<void> }

/**
 * Builds a wheel per package of `pkgs` (module `pkg`, `VALUE = "from-<pkg>"`) and serves them at
 * `<url>/open/simple/` and, with `user:password` required, at `<url>/private/simple/`.
 */
export async function startPipIndex(pkgs: string[], user: string, password: string): Promise<PipIndex> {
  const dir = mkdtempSync(join(tmpdir(), 'caisson-pip-index-'));
  const wheels = new Map(pkgs.map((pkg) => {
    execFileSync('python3', ['-c', WHEEL_SCRIPT, dir, pkg, `from-${pkg}`]);
    const name = `${pkg}-0.1-py3-none-any.whl`;
    const data = readFileSync(join(dir, name));
    return [pkg, { name, data, sha: createHash('sha256').update(data).digest('hex') }];
  }));
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const authed = req.headers.authorization === expected;
    requests.push(`${req.method} ${path} auth=${authed}`);
    const m = /^\/(open|private)\/(.*)$/.exec(path);
    if (!m) return void res.writeHead(404).end();
    if (m[1] === 'private' && !authed) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pypi"' }).end();
    const rest = m[2]!.replace(/\/$/, '');
    const html = (body: string) => void res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<html><body>${body}</body></html>`);
    if (rest === 'simple') return html([...wheels.keys()].map((p) => `<a href="${p}/">${p}</a>`).join(''));
    const project = /^simple\/([^/]+)$/.exec(rest)?.[1];
    const listed = project ? wheels.get(project) : undefined;
    if (listed) return html(`<a href="../../files/${listed.name}#sha256=${listed.sha}">${listed.name}</a>`);
    const file = [...wheels.values()].find((w) => rest === `files/${w.name}`);
    if (file) return void res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(file.data);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
