/**
 * A second Docker daemon of the test's own, for tests that must stop, restart or reconfigure a daemon:
 * the main one is shared with every other engineer and test on the machine and is never touched.
 *
 * Everything it has is its own: data root, exec root (its containerd too), pid file, unix socket,
 * cgroup parent and config file (an empty one, so /etc/docker/daemon.json does not apply), and its own
 * network namespace (`unshare --net`, loopback up): its docker0, routes, sysctls and iptables rules
 * (none: --iptables=false) live and die there, out of the main daemon's way. That matters: a dockerd
 * started in the host's namespace with `--bridge=none` deletes the host's docker0 at start, which
 * breaks the main daemon for everyone. Images come from the main daemon (`docker save | docker load`:
 * nothing can be pulled here); the socket is a plain file, reachable from the host.
 *
 * A later Swarm test can start two of them with `extraArgs` (and connect their namespaces).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';

/** How to start a SecondDaemon. */
export interface SecondDaemonOptions {
  /** More dockerd flags (after the isolating ones). */
  extraArgs?: string[];
  /** Seconds dockerd gives running containers on stop before it kills them (default 1: tests stop it mid-run). */
  shutdownTimeout?: number;
}

/** A dockerd of the test's own; `start()` it, `destroy()` it in an `after` hook. */
export class SecondDaemon {
  /** The folder everything of this daemon lives in (short: unix socket paths are limited to 107 bytes). */
  readonly dir: string;
  /** Its socket path. */
  readonly socket: string;
  /** `unix://<socket>`, for DOCKER_HOST. */
  readonly host: string;
  /** A client for it. */
  readonly docker: Docker;
  private process: ChildProcess | undefined;

  private constructor(private readonly opts: SecondDaemonOptions) {
    // /tmp, not os.tmpdir(): a long TMPDIR would push containerd's socket past the limit.
    this.dir = mkdtempSync('/tmp/czd-');
    this.socket = join(this.dir, 'docker.sock');
    this.host = `unix://${this.socket}`;
    this.docker = new Docker({ socketPath: this.socket });
    writeFileSync(join(this.dir, 'daemon.json'), '{}\n');
  }

  /** Starts a new daemon and waits until it answers. */
  static async start(opts: SecondDaemonOptions = {}): Promise<SecondDaemon> {
    const d = new SecondDaemon(opts);
    try {
      await d.resume();
    } catch (e) {
      await d.destroy();
      throw e;
    }
    return d;
  }

  /** The dockerd command line: isolated from the main daemon in every path and in networking. */
  private args(): string[] {
    const name = this.dir.split('/').pop()!;
    return [
      '--config-file', join(this.dir, 'daemon.json'),
      '--data-root', join(this.dir, 'data'),
      '--exec-root', join(this.dir, 'exec'),
      '--pidfile', join(this.dir, 'dockerd.pid'),
      '-H', this.host,
      '--iptables=false', '--ip-masq=false',
      `--cgroup-parent=/${name}`,
      `--shutdown-timeout=${this.opts.shutdownTimeout ?? 1}`,
      ...(this.opts.extraArgs ?? []),
    ];
  }

  /** Starts dockerd (again, after stop()) and waits until it answers; throws with its log tail if it does not. */
  async resume(timeoutMs = 60_000): Promise<void> {
    if (this.process) return;
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    // unshare without --fork execs: the pid we signal is dockerd's.
    const child = spawn('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec dockerd "$@"', 'sh', ...this.args()], {
      stdio: ['ignore', log, log], detached: true,
    });
    closeSync(log);
    this.process = child;
    let exited = false;
    child.once('exit', () => { exited = true; if (this.process === child) this.process = undefined; });
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (exited) throw new Error(`the second dockerd exited at start:\n${this.logTail()}`);
      if (await this.docker.ping().then(() => true, () => false)) return;
      await sleep(200);
    }
    throw new Error(`the second dockerd did not answer within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** Stops dockerd (SIGTERM: it stops its containers, keeps them, and exits) and waits until it is gone. */
  async stop(timeoutMs = 60_000): Promise<void> {
    const child = this.process;
    if (!child) return;
    const gone = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
    this.process = undefined;
  }

  /** Copies `ref` from the main daemon into this one. */
  loadImage(ref: string): void {
    const saved = spawnSync('docker', ['save', ref], { maxBuffer: 1024 ** 3, env: { ...process.env, DOCKER_HOST: '' } });
    if (saved.status !== 0) throw new Error(`docker save ${ref}: ${saved.stderr}`);
    const loaded = spawnSync('docker', ['load'], { input: saved.stdout, env: { ...process.env, DOCKER_HOST: this.host }, encoding: 'buffer' });
    if (loaded.status !== 0) throw new Error(`docker load ${ref} into ${this.host}: ${loaded.stderr}`);
  }

  /** Environment for a child process (a `caisson` run) that should use this daemon. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: this.host };
  }

  /** The last lines of its log, for failure messages. */
  logTail(lines = 15): string {
    const file = join(this.dir, 'dockerd.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
  }

  /**
   * Removes every container it has, stops it and deletes its folder (the data root's mounts are gone once
   * dockerd has stopped). Safe to call more than once and after a failed start.
   */
  async destroy(): Promise<void> {
    if (this.process) {
      const all = await this.docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(all.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
      await this.stop();
    }
    // Anything still mounted under the folder (a crashed daemon) must go before the folder can.
    spawnSync('sh', ['-c', `grep -o ' ${this.dir}/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
