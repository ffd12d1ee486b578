// Lint, including the layering of DESIGN.md: one no-restricted-imports block per folder.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const restrict = (files, { paths = [], patterns = [], message }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message })),
        patterns: patterns.map((group) => ({ group: [group], message })),
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'out-*/**',
      '.scratch/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
    languageOptions: { globals: globals.browser },
  },

  // shared/: runs anywhere, so no Electron, no Node, no DOM, and nothing from the app's folders.
  restrict(['shared/**'], {
    paths: ['electron', 'react', ...nodeBuiltins],
    patterns: ['**/main/**', '**/renderer/**', '**/preload/**', '**/server/**'],
    message:
      'shared/ is runtime-neutral: no electron, node:* or DOM code, and nothing from main/, renderer/ or server/.',
  }),
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'localStorage',
          'sessionStorage',
          'process',
          'Buffer',
          'require',
          '__dirname',
        ].map((name) => ({ name, message: 'shared/ runs in Node and in the browser alike.' })),
      ],
    },
  },
  // renderer/: only the contract reaches the main process.
  restrict(['renderer/**'], {
    paths: ['electron', ...nodeBuiltins],
    patterns: ['**/main/**', '**/server/**', '**/preload/**'],
    message: 'renderer/ talks to the main process only through the contract in shared/ (window.kasuwa).',
  }),
  // preload/: forwards the contract, nothing else.
  restrict(['preload/**'], {
    paths: nodeBuiltins,
    patterns: ['**/main/**', '**/renderer/**', '**/server/**'],
    message: 'preload/ only builds window.kasuwa from the contract in shared/.',
  }),
  // main/services and main/db: plain Node, so every service runs and is tested without Electron.
  restrict(['main/services/**', 'main/db/**'], {
    paths: ['electron', 'electron-updater', 'keytar'],
    patterns: ['**/platform/**', '**/ipc/**', '**/host/**', '**/renderer/**', '**/server/**'],
    message:
      'Services and the database layer are plain Node: Electron and OS bindings live in main/platform/.',
  }),
  restrict(['main/ipc/**'], {
    paths: ['electron', 'electron-updater', 'keytar'],
    patterns: ['**/platform/**', '**/host/**', '**/renderer/**', '**/server/**'],
    message: 'main/ipc binds contract channels to services; Electron bindings are in main/platform/.',
  }),
  restrict(['main/host/**'], {
    paths: ['electron', 'electron-updater'],
    patterns: ['**/renderer/**', '**/server/**'],
    message: 'The browser host runs under plain Node: no Electron.',
  }),
  restrict(['main/platform/**', 'main/index.ts'], {
    patterns: ['**/renderer/**', '**/server/**'],
    message: 'The main process never imports the renderer or the server.',
  }),
  restrict(['server/**'], {
    paths: ['electron'],
    patterns: ['**/main/**', '**/renderer/**', '**/preload/**'],
    message: 'server/ shares only shared/ with the desktop app.',
  }),
);
