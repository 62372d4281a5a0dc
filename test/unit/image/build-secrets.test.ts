// Build secrets: image({ buildSecrets: { ID: secret('NAME') } }) keeps only names in the IR, hashes only
// names, and hands the builder the values read at build time (the runner's environment, then
// .caisson/secrets); events never show them.
import { strict as assert } from 'node:assert';
import { canonicalJson, compile, createCaisson, image, ImageSpecError, pipeline, secret, staticSecrets, type ImageEvent } from '../../../core/index.ts';
import { dockerfileImages } from '../../../plugins/image-dockerfile/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';

const DOCKERFILE = 'FROM busybox:latest\nRUN --mount=type=secret,id=NPM_TOKEN cat /run/secrets/NPM_TOKEN\n';
const ir = () => compile(pipeline('p', { image: image({ dockerfileText: DOCKERFILE, buildSecrets: { NPM_TOKEN: secret('CI_NPM_TOKEN') }, name: 'app' }) }).exec('a', 'true'));

function setup() {
  const builder = new FakeImageBuilder();
  const caisson = createCaisson({ plugins: [fakeRuntime(), dockerfileImages(), { name: 'fake-builder', imageBuilder: builder }] });
  return { builder, images: caisson.images };
}

describe('build secrets', () => {
  it('the IR keeps the secret names only', () => {
    const spec = ir().images.app as { buildSecrets?: Record<string, string> };
    assert.deepEqual(spec.buildSecrets, { NPM_TOKEN: 'CI_NPM_TOKEN' });
  });

  it('the builder gets the values; the tag does not depend on them; events never show them', async () => {
    const { builder, images } = setup();
    const events: ImageEvent[] = [];
    const first = await images.resolveAll(ir(), { secrets: staticSecrets({ CI_NPM_TOKEN: 'npm_value_one' }), onEvent: (e) => events.push(e) });
    assert.deepEqual(builder.builds[0]!.plan.secretValues, { NPM_TOKEN: 'npm_value_one' });
    const second = await images.resolveAll(ir(), { secrets: staticSecrets({ CI_NPM_TOKEN: 'npm_value_two' }), rebuild: true, onEvent: (e) => events.push(e) });
    assert.equal(second.app!.ref, first.app!.ref);
    assert.ok(events.some((e) => e.type === 'image-log'), 'the fake builder printed nothing');
    assert.ok(!JSON.stringify(events).includes('npm_value_'), JSON.stringify(events));
    assert.ok(!canonicalJson(ir()).includes('npm_value_'));
  });

  it('a secret set nowhere fails the build before it starts, naming image, secret and where to set it', async () => {
    const { builder, images } = setup();
    await assert.rejects(images.resolveAll(ir(), { secrets: staticSecrets({}, 'add it to the test') }),
      /^ImageBuildError: image "app": buildSecrets: NPM_TOKEN: secret "CI_NPM_TOKEN" is not set; add it to the test/);
    assert.equal(builder.builds.length, 0);
  });

  it('bad definitions are ImageSpecErrors naming the image, the option and the key', () => {
    const fails = (options: Parameters<typeof image>[0], text: RegExp) =>
      assert.throws(() => image(options), (e: unknown) => e instanceof ImageSpecError && text.test(e.message));
    fails({ dockerfileText: DOCKERFILE, buildSecrets: { NPM_TOKEN: 'npm_plain' } as never, name: 'x' },
      /^image "x": buildSecrets: NPM_TOKEN: expected secret\("NAME"\), got a plain value/);
    fails({ ref: 'busybox:latest', buildSecrets: { T: secret('T') }, name: 'x' }, /^image "x": buildSecrets: build secrets apply to dockerfile or dockerfileText only/);
    fails({ dockerfileText: DOCKERFILE, buildSecrets: { 'a,b': secret('T') }, name: 'x' }, /^image "x": buildSecrets: "a,b": expected an id of letters, digits/);
  });
});
