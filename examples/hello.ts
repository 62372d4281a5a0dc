/**
 * The quick start: a Serial with a Parallel in the middle, on busybox. Runs in a few seconds.
 *   caisson run examples/hello.ts
 */
import { pipeline } from 'caisson';

export default pipeline('hello', { image: 'busybox:latest', env: { GREETING: 'Hello' } })
  .exec('greet', 'echo "$GREETING from $(hostname)"')
  .parallel('fan-out', (p) =>
    p
      .exec('one', 'echo "one: $GREETING"')
      .exec('two', ['echo', 'two: argv, no shell'])
      .exec('three', 'echo "three: $WHO"', { env: { WHO: 'a child env var' } }),
  )
  .exec('bye', `
    echo "all done"
    date
  `);
