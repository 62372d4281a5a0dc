/**
 * Which CA bundle image builds trust (README, Images): the caBundle option, else CAISSON_CA_BUNDLE, else
 * SSL_CERT_FILE when that file exists; `caBundle: false` turns it off; a named bundle that does not
 * exist is one error naming it and where it came from.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaissonError, resolveCaBundle } from '../../../core/plugin-kit.ts';
import { tempDirs } from '../../helpers/temp-project.ts';

describe('CA bundle defaults', () => {
  const temps = tempDirs();
  const saved = { CAISSON_CA_BUNDLE: process.env.CAISSON_CA_BUNDLE, SSL_CERT_FILE: process.env.SSL_CERT_FILE };
  let a: string;
  let b: string;
  let c: string;
  beforeEach(() => {
    const dir = temps.make('ca');
    [a, b, c] = ['a.pem', 'b.pem', 'c.pem'].map((f) => join(dir, f)) as [string, string, string];
    for (const f of [a, b, c]) writeFileSync(f, '# a bundle\n');
    delete process.env.CAISSON_CA_BUNDLE;
    delete process.env.SSL_CERT_FILE;
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    temps.removeAll();
  });

  it('none set: no bundle', () => {
    assert.equal(resolveCaBundle(), undefined);
  });

  it('SSL_CERT_FILE is the default, when the file exists', () => {
    process.env.SSL_CERT_FILE = a;
    assert.equal(resolveCaBundle(), a);
    process.env.SSL_CERT_FILE = join(a, '..', 'missing.pem');
    assert.equal(resolveCaBundle(), undefined, 'a missing SSL_CERT_FILE is not an error: it is the host\'s convention, not a Caisson setting');
  });

  it('CAISSON_CA_BUNDLE wins over SSL_CERT_FILE, and the option over both; false turns it off', () => {
    process.env.SSL_CERT_FILE = a;
    process.env.CAISSON_CA_BUNDLE = b;
    assert.equal(resolveCaBundle(), b);
    assert.equal(resolveCaBundle(c), c);
    assert.equal(resolveCaBundle(false), undefined);
  });

  it('a CAISSON_CA_BUNDLE or option naming a missing file: one error naming it and its source', () => {
    process.env.CAISSON_CA_BUNDLE = join(a, '..', 'nope.pem');
    assert.throws(() => resolveCaBundle(), (e: unknown) => e instanceof CaissonError && /CA bundle .*nope\.pem does not exist \(from CAISSON_CA_BUNDLE\)/.test(e.message));
    assert.throws(() => resolveCaBundle(join(a, '..', 'gone.pem')), /CA bundle .*gone\.pem does not exist \(from the caBundle option\)/);
  });
});
