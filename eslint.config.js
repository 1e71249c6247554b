// Lint rules. geo/ is the pure core: it may not import server/, web/, frameworks or drivers.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.gridatlas/**', 'tests/artifacts/**', 'data/samples/**' /* real files kept as they came (Highcharts map scripts) */] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['geo/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/web/**', '**/data/**'], message: 'geo/ is pure: no imports from server/, web/ or data/.' },
            { group: ['hono', 'hono/*', 'react', 'react-dom', 'maplibre-gl', 'postgres', 'drizzle-orm', 'drizzle-orm/*', '@electric-sql/*', 'node:*', 'fs', 'path'], message: 'geo/ is pure: no frameworks, drivers or I/O.' },
          ],
        },
      ],
    },
  },
);
