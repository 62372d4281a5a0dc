// Runs Caisson from its TypeScript sources inside a checkout of the repository (bin/caisson.js imports
// this when cli/main.ts exists): tsx for .ts files, and the "caisson-source" export condition so that
// `import … from 'caisson'` in examples and fixtures resolves to core/index.ts rather than dist/.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';
import { register as registerTsxCjs } from 'tsx/cjs/api';

registerTsx();
registerTsxCjs();
register('./source-condition.mjs', import.meta.url);
// The pipeline loader registers tsx itself when it is not yet; it is, here.
globalThis[Symbol.for('caisson.tsx-registered')] = true;
