import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', '.cache/', '.data/', 'coverage/', 'test-results/', 'tools/'] },
  js.configs.recommended,
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: globals.node, sourceType: 'commonjs' } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Layer rules from docs/architecture: the domain stays pure, the archived SDK stays in src/bot,
    // and only src/store talks to MongoDB.
    files: ['src/domain/**/*.ts', 'src/lib/**/*.ts', 'src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', 'mongodb', 'restify', 'pino', 'node:*', 'fs', 'child_process'],
              message: 'domain, lib and app stay free of I/O and SDKs',
            },
            { group: ['**/bot/**', '**/store/**', '**/http/**', '**/config/**'], message: 'dependencies point inward' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['botbuilder*', '**/bot/**', '**/http/**'], message: 'store does not know about Teams' }],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/bot/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['botbuilder*'], message: 'botbuilder is archived: keep it inside src/bot' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'tests/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
