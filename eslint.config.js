import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', '.tools/', 'test-results/', 'bench-results/', '.cache/', 'resources/spark/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The engine is plain Node: it must run outside Electron (CLI, browser mode, tests).
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts', 'electron/serve/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine, CLI and shared code never import electron.' }],
          patterns: [
            { group: ['**/tools/**'], message: 'Tools (benchmark, calibration) are not product code; the product never imports them.' },
          ],
        },
      ],
    },
  },
  {
    // The one door from the CLI to the tools: `sparkpolar bench` loads the harness at run time, only in a checkout that has it.
    files: ['electron/cli/commands/bench.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
