/**
 * A two-node Docker Swarm on one machine, for tests: a manager dockerd and a worker dockerd, each a
 * SecondDaemon (own data root, exec root, socket and network namespace), joined by a veth pair between
 * their two namespaces (192.168.213.1 ↔ .2; nothing of it is in the host's namespace, so concurrent
 * swarms and the host's networks never meet), and a registry of their own: Debian's docker-registry
 * (scripts/setup-swarm.sh installs it) run with `nsenter --net` in the manager's namespace on
 * 192.168.213.1:5000, which both daemons trust through `--insecure-registry`. The manager is initialised
 * with that address as its advertise address, the worker joins it, and busybox is copied into the
 * manager (`docker save | docker load`: nothing can be pulled here). The worker starts with no image at
 * all: whatever runs there must come through the registry.
 *
 * Everything goes through the manager's socket (`managerHost`, for DOCKER_HOST): builds, pushes (to
 * `registry`) and services. `destroy()` removes services, leaves the swarm, stops both daemons (their
 * namespaces, and with them the veth pair, go with them) and the registry, and deletes their folders.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SecondDaemon } from './second-daemon.ts';

/** The link between the two namespaces. */
const SUBNET = '192.168.213';
const MANAGER_ADDR = `${SUBNET}.1`;
const WORKER_ADDR = `${SUBNET}.2`;
const REGISTRY = `${MANAGER_ADDR}:5000`;

/** What `start()` gives a test. */
export interface TwoNodeSwarmInfo {
  /** `unix://…` of the manager's socket, for DOCKER_HOST (builds, pushes and services go there). */
  managerHost: string;
  /** `unix://…` of the worker's socket (to look at what it has; services are created through the manager). */
  workerHost: string;
  /** The manager's swarm node id. */
  managerNodeId: string;
  /** The worker's swarm node id. */
  workerNodeId: string;
  /** The registry both nodes reach, `host:port` (for CAISSON_REGISTRY). */
  registry: string;
}

const run = (cmd: string, args: string[], what: string): string => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what}: ${cmd} ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
};
const pidOf = (d: SecondDaemon): number => Number(readFileSync(join(d.dir, 'dockerd.pid'), 'utf8').trim());
const inNetns = (pid: number, cmd: string[], what: string) => run('nsenter', [`--net=/proc/${pid}/ns/net`, ...cmd], what);

/** A manager and a worker, each a dockerd in its own network namespace, and a registry both reach. */
export class TwoNodeSwarm {
  /** The manager's daemon's pid (to run a process in its network namespace: `nsenter --net=/proc/PID/ns/net`). */
  get managerPid(): number { return pidOf(this.manager!); }
  /** The manager's daemon (its `docker` client creates services). */
  manager: SecondDaemon | undefined;
  /** The worker's daemon (a test looks at its images). */
  worker: SecondDaemon | undefined;
  private registry: ChildProcess | undefined;
  private registryDir: string | undefined;

  /** Starts both daemons, links their namespaces, starts the registry, forms the swarm; cleans up after itself when a step fails. */
  async start(): Promise<TwoNodeSwarmInfo> {
    try {
      return await this.startAll();
    } catch (e) {
      await this.destroy();
      throw e;
    }
  }

  private async startAll(): Promise<TwoNodeSwarmInfo> {
    if (spawnSync('sh', ['-c', 'command -v docker-registry']).status !== 0) throw new Error('docker-registry is not installed; run `bash scripts/setup-swarm.sh`');
    const extraArgs = ['--insecure-registry', REGISTRY];
    [this.manager, this.worker] = await Promise.all([SecondDaemon.start({ extraArgs }), SecondDaemon.start({ extraArgs })]);
    const [mpid, wpid] = [pidOf(this.manager), pidOf(this.worker)];

    // A veth pair made in the worker's namespace, one end then moved into the manager's: no name ever
    // appears in the host's namespace, so two swarms at once cannot clash.
    inNetns(wpid, ['ip', 'link', 'add', 'czsw0', 'type', 'veth', 'peer', 'name', 'czsm0'], 'veth pair');
    inNetns(wpid, ['ip', 'link', 'set', 'czsm0', 'netns', String(mpid)], 'veth to the manager');
    inNetns(mpid, ['ip', 'addr', 'add', `${MANAGER_ADDR}/24`, 'dev', 'czsm0'], 'manager address');
    inNetns(mpid, ['ip', 'link', 'set', 'czsm0', 'up'], 'manager link');
    inNetns(wpid, ['ip', 'addr', 'add', `${WORKER_ADDR}/24`, 'dev', 'czsw0'], 'worker address');
    inNetns(wpid, ['ip', 'link', 'set', 'czsw0', 'up'], 'worker link');

    // The daemons run with --iptables=false, so nothing masquerades their containers' traffic: without it
    // a task container on the worker (172.17.x, its own bridge) could not reach the manager's address,
    // where a runner in the manager's namespace listens for tasks calling back. Do what dockerd's own
    // rules do, in each namespace only.
    for (const pid of [mpid, wpid]) {
      inNetns(pid, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'], 'forwarding');
      inNetns(pid, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '172.16.0.0/12', '-o', pid === mpid ? 'czsm0' : 'czsw0', '-j', 'MASQUERADE'], 'masquerade');
    }

    await this.startRegistry(mpid);

    const m = this.manager.docker;
    await m.swarmInit({ ListenAddr: `${MANAGER_ADDR}:2377`, AdvertiseAddr: MANAGER_ADDR });
    const { JoinTokens } = (await m.swarmInspect()) as { JoinTokens: { Worker: string } };
    await this.worker.docker.swarmJoin({ ListenAddr: `${WORKER_ADDR}:2377`, AdvertiseAddr: WORKER_ADDR, RemoteAddrs: [`${MANAGER_ADDR}:2377`], JoinToken: JoinTokens.Worker });
    const managerNodeId = ((await m.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
    const workerNodeId = ((await this.worker.docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
    await this.waitReady([managerNodeId, workerNodeId]);

    this.manager.loadImage('busybox:latest');
    return { managerHost: this.manager.host, workerHost: this.worker.host, managerNodeId, workerNodeId, registry: REGISTRY };
  }

  /** The registry in the manager's namespace, on the address the worker reaches; waits for `GET /v2/`. */
  private async startRegistry(mpid: number): Promise<void> {
    const dir = (this.registryDir = mkdtempSync('/tmp/czr-'));
    writeFileSync(join(dir, 'config.yml'), [
      'version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/storage`,
      'http:', `  addr: ${REGISTRY}`, '',
    ].join('\n'));
    const log = openSync(join(dir, 'registry.log'), 'a');
    const child = spawn('nsenter', [`--net=/proc/${mpid}/ns/net`, 'docker-registry', 'serve', join(dir, 'config.yml')], { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    this.registry = child;
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if (child.exitCode !== null) break;
      // Asked from inside the namespace: the host cannot reach 192.168.213.1.
      const r = spawnSync('nsenter', [`--net=/proc/${mpid}/ns/net`, 'bash', '-c', `exec 3<>/dev/tcp/${MANAGER_ADDR}/5000 && printf 'GET /v2/ HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3`], { encoding: 'utf8', shell: false });
      if (/^HTTP\/1\.. 200/.test(r.stdout)) return;
      await sleep(200);
    }
    throw new Error(`the swarm's registry did not answer on ${REGISTRY}:\n${readFileSync(join(dir, 'registry.log'), 'utf8').slice(-2000)}`);
  }

  /** Waits until the manager lists both nodes as ready. */
  private async waitReady(ids: string[]): Promise<void> {
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const nodes = (await this.manager!.docker.listNodes()) as Array<{ ID: string; Status?: { State?: string } }>;
      if (ids.every((id) => nodes.some((n) => n.ID === id && n.Status?.State === 'ready'))) return;
      await sleep(250);
    }
    throw new Error(`the worker did not become ready in the swarm within 30 s:\n${this.worker?.logTail()}`);
  }

  /**
   * Tags `ref` (an image in the manager) for the swarm's registry as `caisson/<name>:<tag>`, pushes it
   * through the manager, and resolves to its digest reference.
   */
  pushImage(ref: string, name: string, tag = 'test'): string {
    const env = { ...process.env, DOCKER_HOST: this.manager!.host };
    const target = `${REGISTRY}/caisson/${name}:${tag}`;
    const tagged = spawnSync('docker', ['tag', ref, target], { env, encoding: 'utf8' });
    if (tagged.status !== 0) throw new Error(`docker tag ${ref} ${target}: ${tagged.stderr}`);
    const pushed = spawnSync('docker', ['push', target], { env, encoding: 'utf8' });
    const digest = pushed.stdout.match(/digest: (sha256:[0-9a-f]{64})/)?.[1];
    if (pushed.status !== 0 || !digest) throw new Error(`docker push ${target}: ${pushed.stderr}${pushed.stdout}`);
    return `${REGISTRY}/caisson/${name}@${digest}`;
  }

  /** Removes services, leaves the swarm, stops the daemons and the registry, deletes their folders. Safe to call twice. */
  async destroy(): Promise<void> {
    const m = this.manager;
    if (m) {
      const services = (await m.docker.listServices().catch(() => [])) as Array<{ ID: string }>;
      await Promise.all(services.map((s) => m.docker.getService(s.ID).remove().catch(() => {})));
    }
    await this.worker?.docker.swarmLeave({ force: true }).catch(() => {});
    await m?.docker.swarmLeave({ force: true }).catch(() => {});
    if (this.registry && this.registry.exitCode === null) {
      const child = this.registry;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5000)]);
    }
    this.registry = undefined;
    await Promise.all([this.worker?.destroy(), m?.destroy()]);
    this.worker = this.manager = undefined;
    if (this.registryDir) rmSync(this.registryDir, { recursive: true, force: true });
    this.registryDir = undefined;
  }
}
