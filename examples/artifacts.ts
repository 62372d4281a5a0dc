/**
 * Data between nodes, with no host folder shared: a build's output folder (declared artifact) goes to
 * a test step, a 5-way fan-out's files to a reducer, and a version string through the run's data store
 * (caisson-data). Runs on the stock debian image; `caisson show` lists the artifacts afterwards and
 * `caisson artifact latest /artifacts/build dist --out out` writes the build's folder to ./out.
 */
import { pipeline } from 'caisson';

const SHARDS = 5;

export default pipeline('artifacts', { image: 'debian:bookworm-slim' })
  .exec('build', `
    mkdir -p dist
    echo '#!/bin/sh' > dist/app && echo 'echo "app $1"' >> dist/app && chmod +x dist/app
    echo 1.4.2 | caisson-data put version
  `, { outputs: 'dist' })
  .exec('test', 'echo "testing $(caisson-data get version)"; ./dist/app ok', { inputs: '/artifacts/build' })
  .parallel('map', (m) => {
    for (let i = 1; i <= SHARDS; i++) m = m.exec(`shard${i}`, `mkdir -p out && echo $((${i} * ${i})) > out/${i}.txt`, { outputs: `out/${i}.txt` });
    return m;
  })
  .exec('reduce', `
    echo "$(ls in/out | wc -l) shards, sum of squares: $(awk '{ s += $1 } END { print s }' in/out/*.txt)"
  `, { inputs: { from: '/artifacts/map', to: 'in' } });
