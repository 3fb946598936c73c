import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'test/fixtures/pms/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Routes are thin: they parse, call one service, shape the answer. They never reach the
    // database or the unscoped operator handle directly.
    files: ['src/**/routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/platform/db/database.ts', 'kysely', 'pg', '@electric-sql/pglite'], message: 'Routes call services; services reach the database.' },
            { group: ['**/cli/**'], message: 'The operator tool is not reachable from HTTP routes.' },
          ],
        },
      ],
    },
  },
);
