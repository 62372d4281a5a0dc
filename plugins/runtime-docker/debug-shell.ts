/**
 * The interactive part of `caisson debug`: `docker exec -it` through the docker CLI with this
 * process's terminal handed over as is (raw mode, resizes and Ctrl-C are the CLI's business).
 */
import { spawn } from 'node:child_process';

/**
 * Opens `shell` in container `id` on this terminal (with -t only when stdin is a terminal) and
 * resolves to the shell's exit code when the person leaves it.
 */
export function openDebugShell(id: string, shell: string): Promise<number> {
  const args = ['exec', '-i', ...(process.stdin.isTTY ? ['-t'] : []), id, shell];
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: 'inherit' });
    child.on('error', (e) => reject(new Error(`cannot run the docker CLI (${e.message}); install it (Debian: apt-get install docker.io)`)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
