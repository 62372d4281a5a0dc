// A lazy node: its generator (here a shell script) writes the subtree as JSON to $CAISSON_GRAFT_FILE
// when the pipeline runs; Caisson validates it, grafts it at /lazy/shards/execute and runs it.
// Generated nodes leave out what they inherit (here cpu and env from the lazy node) and use the image
// registered at the top by its name.
import { image, pipeline } from 'caisson';

const tools = image({ name: 'tools', ref: 'busybox:latest' });

export default pipeline('lazy', { image: 'busybox:latest' })
  .registerImage(tools)
  .exec('prepare', 'echo "3 shards to test"')
  .lazyCommand('shards', `
    {
      printf '{"kind":"parallel","children":['
      for i in 1 2 3; do
        [ "$i" -gt 1 ] && printf ','
        printf '{"name":"shard-%s","command":"echo testing shard %s of $SUITE","image":"tools"}' "$i" "$i"
      done
      printf ']}'
    } > "$CAISSON_GRAFT_FILE"
  `, { cpu: 0.5, env: { SUITE: 'unit' }, limits: { nodes: 100 } })
  .exec('report', 'echo "all shards ran"');
