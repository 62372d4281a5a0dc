/**
 * Child process for the leftover tests: opens a Docker run, acquires N busybox containers (one of them
 * busy running a command), prints `ready <ids> <pid>` and waits to be signalled or killed.
 * Usage: node --import tsx hold-containers.ts <runId> <count>
 */
import { DockerRuntimeProvider } from '../../../plugins/runtime-docker/index.ts';
import { specFor, BUSYBOX } from './lease-fixture.ts';

const [runId = 'hold', count = '2'] = process.argv.slice(2);
const provider = new DockerRuntimeProvider();
const session = await provider.open({ runId, labels: {} });
const leases = [];
for (let i = 0; i < Number(count); i++) {
  leases.push(await session.acquire(specFor(BUSYBOX, { labels: { 'dev.caisson.run': runId } }), new AbortController().signal));
}
void leases[0]!.run({
  path: '/busy', command: 'sleep 600', env: {}, signal: new AbortController().signal, onOutput: () => {},
}).catch(() => {});
process.stdout.write(`ready ${leases.map((l) => l.id).join(',')} ${process.pid}\n`);
setInterval(() => {}, 60_000);
