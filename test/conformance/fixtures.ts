/**
 * The conformance fixtures: pipelines that use only options every runtime honours, each with what a user
 * relies on after it ran: every node's final state, each Exec's stdout and stderr, and which Execs shared
 * a container. test/integration/conformance.test.ts compiles each to IR once and runs that same IR on the
 * fake, Docker and Swarm runtimes.
 *
 * The fake runs no command, so it plays each Exec from its expectation here (its output, its exit code; a
 * node expected `killed` hangs until its maxTime): on the fake the suite checks states, order, kills and
 * reuse, and the output plumbing, but not the shell. That is the documented exception; the others are
 * in docs/swarm.md ("What differs from Docker").
 */
import { pipeline, type GroupBuilder } from '../../core/index.ts';
import reuseExample from '../../examples/container-reuse.ts';

/** What one node ends as. */
export interface Expected {
  state: 'done' | 'error' | 'killed' | 'pending';
  /** Skipped (its state stays pending, as in Conducto). */
  skipped?: true;
  /** The Exec's whole stdout / stderr (unset: not checked, e.g. output that names a container). */
  stdout?: string;
  stderr?: string;
  /** An error's exit code. */
  exitCode?: number;
}

/** One fixture. */
export interface Fixture {
  name: string;
  pipeline: GroupBuilder;
  /** Every node's final state by path (groups too), and what each Exec printed. */
  expect: Record<string, Expected>;
  /**
   * The Execs that must share one container, as groups of paths: each inner list ran in one container,
   * different lists in different ones. Unset: reuse is not what this fixture checks.
   */
  shared?: string[][];
}

const states: Fixture = {
  name: 'states and output',
  pipeline: pipeline('states', { image: 'busybox:latest' })
    .exec('out', 'echo one; echo two >&2')
    .parallel('par', (p) => p.exec('ok', 'echo ok').exec('fail', 'echo bad >&2; exit 3'))
    .exec('after', 'echo never'),
  expect: {
    '/states': { state: 'error' },
    '/states/out': { state: 'done', stdout: 'one\n', stderr: 'two\n' },
    '/states/par': { state: 'error' },
    '/states/par/ok': { state: 'done', stdout: 'ok\n', stderr: '' },
    '/states/par/fail': { state: 'error', exitCode: 3, stdout: '', stderr: 'bad\n' },
    // stopOnError (the Serial default) leaves what follows a failure pending.
    '/states/after': { state: 'pending' },
  },
};

const options: Fixture = {
  name: 'env, the image\'s working dir, argv commands, skip and stopOnError: false',
  pipeline: pipeline('opts', { image: 'busybox:latest', env: { A: 'from-root' }, stopOnError: false })
    .exec('env', 'echo "$A $B"', { env: { B: 'own' } })
    .exec('argv', ['echo', 'no', 'shell'])
    .exec('workdir', 'pwd')
    .exec('skipped', 'echo never', { skip: true })
    .exec('fails', 'exit 7')
    .exec('still-runs', 'echo "A=$A"'),
  expect: {
    '/opts': { state: 'error' },
    '/opts/env': { state: 'done', stdout: 'from-root own\n' },
    '/opts/argv': { state: 'done', stdout: 'no shell\n' },
    '/opts/workdir': { state: 'done', stdout: '/\n' },
    '/opts/skipped': { state: 'pending', skipped: true },
    '/opts/fails': { state: 'error', exitCode: 7 },
    '/opts/still-runs': { state: 'done', stdout: 'A=from-root\n' },
  },
};

const kills: Fixture = {
  name: 'maxTime kills and retries',
  pipeline: pipeline('kills', { image: 'busybox:latest', stopOnError: false })
    .exec('slow', 'echo started; sleep 60', { maxTime: '5s' })
    .exec('flaky', 'echo try; exit 1', { retry: { attempts: 2, backoff: { initial: '1s', jitter: 0 } } }),
  expect: {
    '/kills': { state: 'error' },
    '/kills/slow': { state: 'killed', stdout: 'started\n' },
    '/kills/flaky': { state: 'error', exitCode: 1, stdout: 'try\n' },
  },
};

const data: Fixture = {
  name: 'an artifact and the data store between two containers',
  pipeline: pipeline('data', { image: 'busybox:latest' })
    .exec('produce', 'mkdir -p dist && echo built > dist/out.txt && echo v1 | caisson-data put version', { outputs: ['dist'] })
    .exec('consume', 'cat dist/out.txt; caisson-data get version', { inputs: ['/data/produce'], reuse: 'new' }),
  expect: {
    '/data': { state: 'done' },
    '/data/produce': { state: 'done', stdout: '' },
    '/data/consume': { state: 'done', stdout: 'built\nv1\n' },
  },
  shared: [['/data/produce'], ['/data/consume']],
};

const R = '/container-reuse';
const reuse: Fixture = {
  name: 'Conducto\'s container reuse example',
  pipeline: reuseExample,
  expect: { [R]: { state: 'done' } },
  shared: [
    [`${R}/default-serial/first`, `${R}/default-serial/second`, `${R}/default-serial/third`, `${R}/global-escape/escaped/outside`],
    [`${R}/new-serial/first`, `${R}/new-serial/second`, `${R}/new-serial/third`],
    [`${R}/new-per-exec/first`], [`${R}/new-per-exec/second`], [`${R}/new-per-exec/third`],
    [`${R}/global-escape/inside`, `${R}/global-escape/inside-again`],
    [`${R}/parallel-new/first`, `${R}/parallel-new/second`, `${R}/parallel-new/third`],
  ],
};

/** Every fixture, in the order the suite runs them. */
export const FIXTURES: readonly Fixture[] = [states, options, kills, data, reuse];
