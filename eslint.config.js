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
    // Boundaries, as VS Code keeps them: Electron main is a thin host that reaches the engine only
    // through the messages of their process boundary (utility/protocol) and shares its logging.
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/(?!log$|logging/|utility/protocol$)',
              message: 'Electron main imports from the engine only log, logging/ and utility/protocol; the engine runs in its own process.',
            },
            {
              group: ['**/renderer/**', '**/tools/**', '**/cli/**', '**/serve/**'],
              message: 'Electron main is a host: it imports none of these.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer knows the engine only through window.studio: the contract and plain data of shared/.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**'],
              message: 'The renderer reaches main and the engine only through window.studio (types from shared/).',
            },
            {
              group: ['**/shared/charts/ssr'],
              message: 'Server-side chart rendering (Node, all of ECharts) is for the engine, not the renderer.',
            },
            { group: ['**/tools/**'], message: 'Tools are not product code.' },
          ],
        },
      ],
    },
  },
  {
    // Heavy modules are loaded on first use (lazy-module.ts, shared/charts/ssr.ts), so a command
    // that draws no chart and writes no workbook (`sparkpolar datasets`) does not load them: a
    // static import anywhere in the engine's graph would load them for every command.
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts', 'electron/serve/**/*.ts', 'shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['echarts', 'exceljs', 'minio'].map((name) => ({
            name,
            allowTypeImports: true,
            message: `${name} takes long to load: import its types only, and the module on first use (lazyModule).`,
          })),
        },
      ],
    },
  },
  {
    // shared/ is imported by every side, so it imports none of them.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine, CLI and shared code never import electron.' }],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ is imported by main, preload, engine and renderer; it imports none of them.',
            },
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
