// ESLint for Caisson: `npm run lint` (CI runs it with --max-warnings=0). ESLint's and typescript-eslint's
// recommended rules plus the type-aware ones that catch real bugs in async code, which is most of
// Caisson (a forgotten await in the engine is a lost error). Rules left out are listed with why.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/**', 'reports/**', '.stryker-tmp/**', '**/*.cjs', '**/*.mjs', 'bin/**', 'tmp/**', 'test/fixtures/cli/syntax-error.ts', 'test/fixtures/cli/type-error.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: join(root, 'tsconfig.json'), tsconfigRootDir: root },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The web UI's app (plugins/ui/app) runs in the browser as plain ES modules, with no build step.
    files: ['plugins/ui/app/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'navigator', 'fetch', 'EventSource', 'WebSocket', 'URLSearchParams', 'TextDecoder',
        'ResizeObserver', 'requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console', 'performance'].map((g) => [g, 'readonly'])),
    },
  },
  {
    // Tests build malformed documents on purpose (an IR with a wrong field type, say); typing each
    // of them precisely would only add casts.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
