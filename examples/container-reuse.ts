/**
 * Conducto's container_reuse example, five scenarios. Every Exec bumps a counter file in /tmp, so
 * the printed counts show which nodes shared a container's filesystem:
 * - default-serial: default (global) reuse; later nodes MAY land in a container an earlier one used.
 * - new-serial: reuse "new" on the Serial: one fresh container for all three, counts 1 2 3.
 * - new-per-exec: reuse "new" on each Exec: each gets its own container, each prints 1.
 * - global-escape: a "new" Serial whose inner Serial sets "global" and so leaves the shared container.
 * - parallel-new: reuse "new" on a Parallel: its children share one container and run one at a time.
 */
import { pipeline } from 'caisson';

const BUMP = 'n=$(cat /tmp/count 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > /tmp/count; echo "count=$n in $(hostname)"';

const three = <T extends { exec(name: string, command: string, options?: { reuse?: 'new' }): T }>(group: T, reuse?: 'new'): T =>
  group.exec('first', BUMP, { reuse }).exec('second', BUMP, { reuse }).exec('third', BUMP, { reuse });

export default pipeline('container-reuse', { image: 'busybox:latest' })
  .serial('default-serial', (s) => three(s))
  .serial('new-serial', (s) => three(s), { reuse: 'new' })
  .serial('new-per-exec', (s) => three(s, 'new'))
  .serial('global-escape', (s) =>
    s
      .exec('inside', BUMP)
      .serial('escaped', (e) => e.exec('outside', BUMP), { reuse: 'global' })
      .exec('inside-again', BUMP),
  { reuse: 'new' })
  .parallel('parallel-new', (p) => three(p), { reuse: 'new' });
