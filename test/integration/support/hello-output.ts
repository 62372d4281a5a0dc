/**
 * What examples/hello.ts prints on every real runtime (Docker, Podman, Swarm), checked on the CLI's
 * plain-line output: each node's lines, and the summary of seven done nodes.
 */
import { strict as assert } from 'node:assert';

/** Asserts `stdout` of `caisson run examples/hello.ts` (NO_COLOR, not a terminal) is the quick start's output. */
export function assertHelloOutput(stdout: string): void {
  const output = stdout.split('\n').filter((l) => / [|!] /.test(l)).map((l) => l.replace(/^\S+\s+/, ''));
  const text = (path: string) => output.filter((l) => l.startsWith(`${path} `)).map((l) => l.replace(/^\S+\s+[|!] /, ''));
  assert.deepEqual(text('/hello/fan-out/one'), ['one: Hello']);
  assert.deepEqual(text('/hello/fan-out/two'), ['two: argv, no shell']);
  assert.deepEqual(text('/hello/fan-out/three'), ['three: a child env var']);
  assert.match(text('/hello/greet').join('\n'), /^Hello from [0-9a-f]{12}$/);
  assert.equal(text('/hello/bye')[0], 'all done');
  assert.match(stdout, /DONE\s+P 0\s+Q 0\s+R 0\s+D 7\s+E 0\s+K 0/);
}
