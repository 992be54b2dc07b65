import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-e2e/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs,ts}', 'bench/**/*.{js,mjs,ts}', 'e2e/**/*.{js,mjs,ts}', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Binary sniffing and tokenizing legitimately match control characters.
    files: ['src/engine/parsers/**/*.ts', 'src/engine/text/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // The engine runs in workers and in Node: no DOM, React, Comlink or UI code.
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'comlink'], message: 'The engine is pure TypeScript: no React or Comlink.' },
            { group: ['**/ui/**', '**/worker/**', '**/client/**'], message: 'The engine must not import the layers above it.' },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'The engine runs in browsers too: no Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'sessionStorage'],
    },
  },
  {
    // The UI talks to the worker only through the client; from the worker it may import types alone.
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/worker/**'], allowTypeImports: true, message: 'The UI may import only types from the worker; use src/client.' },
            { group: ['**/engine/**'], allowTypeImports: true, message: 'The UI may import only types from the engine; it runs in the worker.' },
          ],
        },
      ],
    },
  },
);
