/**
 * A CI-shaped pipeline that needs no network: the "app" is a shell function carried in an env var
 * that every node inherits. Shows env inheritance, parallel checks with maxConcurrent, maxTime,
 * a deploy Serial with stopOnError false and a cleanup step, and a skipped deploy-prod node.
 */
import { pipeline, serial, type GroupBuilder } from 'caisson';

const APP_SRC = 'add() { echo $(($1 + $2)); }';

/** A reusable fragment: a last step that always runs (its Serial has stopOnError false). */
const withCleanup = <K extends 'serial' | 'parallel'>(group: GroupBuilder<K>) =>
  group.exec('cleanup', 'rm -rf /tmp/release && echo "cleaned up"');

const deploy = serial({ stopOnError: false, maxTime: '2m', env: { TARGET: 'staging' } })
  .exec('package', `
    mkdir -p /tmp/release
    echo "$APP_SRC" > /tmp/release/app.sh
    echo "packaged for $TARGET"
  `)
  .exec('deploy-staging', 'echo "deploying to $TARGET"')
  .exec('deploy-prod', 'echo "deploying to production"', { env: { TARGET: 'production' }, skip: true, doc: 'Unskip to ship.' })
  .with(withCleanup);

export default pipeline('ci', {
  image: 'debian:bookworm-slim',
  env: { CI: '1', APP_SRC },
  maxTime: '10m',
  title: 'CI for the adder app',
  tags: ['ci', 'example'],
})
  .exec('install', 'eval "$APP_SRC" && type add && echo "installed (CI=$CI)"')
  .parallel('checks', (p) =>
    p
      .exec('lint', 'printf "%s\\n" "$APP_SRC" > /tmp/lint.sh && sh -n /tmp/lint.sh && echo "lint ok"')
      .exec('unit', `
        eval "$APP_SRC"
        test "$(add 2 3)" = 5 && echo "unit ok"
      `, { mem: 1 })
      .exec('smoke', 'eval "$APP_SRC"; echo "1 + 1 = $(add 1 1)"', { cpu: 0.5, maxTime: 30 }),
    { maxConcurrent: 2 },
  )
  .add('deploy', deploy);
