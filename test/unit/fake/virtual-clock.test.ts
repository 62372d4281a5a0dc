// VirtualClock: time moves only when all work waits on timers, straight to the earliest one.
import { strict as assert } from 'node:assert';
import { VirtualClock } from '../../../plugins/runtime-fake/index.ts';

const sleep = (clock: VirtualClock, ms: number) => new Promise<void>((r) => clock.setTimer(r, ms));

describe('VirtualClock', () => {
  it('fires timers in deadline order (ties in the order set) and jumps time to each deadline', async () => {
    const clock = new VirtualClock(1000);
    const fired: Array<[string, number]> = [];
    for (const [name, ms] of [['c', 300], ['a', 100], ['b', 100], ['d', 3_600_000]] as const) {
      clock.setTimer(() => fired.push([name, clock.now()]), ms);
    }
    await sleep(clock, 4_000_000);
    assert.deepEqual(fired, [['a', 1100], ['b', 1100], ['c', 1300], ['d', 3_601_000]]);
  });

  it('does not advance while promise work is still pending', async () => {
    const clock = new VirtualClock(0);
    let steps = 0;
    const work = (async () => { for (let i = 0; i < 1000; i++) { await Promise.resolve(); steps++; } return clock.now(); })();
    const timer = sleep(clock, 50).then(() => steps);
    assert.deepEqual(await Promise.all([work, timer]), [0, 1000]);
  });

  it('cleared timers never fire', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    clock.clearTimer(clock.setTimer(() => { fired = true; }, 10));
    await sleep(clock, 20);
    assert.equal(fired, false);
    assert.equal(clock.now(), 20);
  });
});
