// What loading a pipeline file refuses, as data: the file and the option at fault (the CLI prints the message).
import { strict as assert } from 'node:assert';
import { loadPipeline } from '../../../cli/load-pipeline.ts';
import { rejectsCode } from '../../helpers/errors.ts';

const fixture = 'test/fixtures/cli/failing.ts';

describe('cli: loading a pipeline file', () => {
  it('a missing file is a UsageError naming it', async () => {
    await rejectsCode(loadPipeline('test/fixtures/cli/nope.ts', 'default', { typecheck: false }), 'USAGE', { file: 'test/fixtures/cli/nope.ts' });
  });

  it('an unknown export, or one that is not a pipeline, is a UsageError naming the file and --export', async () => {
    const unknown = await rejectsCode(loadPipeline(fixture, 'nosuch', { typecheck: false }), 'USAGE', { file: fixture, option: '--export' });
    assert.match(unknown.message, /it exports: default, named, notAPipeline/, 'the message lists what there is');
    await rejectsCode(loadPipeline(fixture, 'notAPipeline', { typecheck: false }), 'USAGE', { file: fixture, option: '--export' });
  });

  it('a named export loads', async () => {
    assert.equal((await loadPipeline(fixture, 'named', { typecheck: false })).ir.name, 'named');
  });
});
