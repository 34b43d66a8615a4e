// Lint for the whole repo: typescript-eslint's type-aware recommended rules on TypeScript,
// plain recommended rules on JavaScript (sample debuggees, the bin shim, this file).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  setInterval: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  require: 'readonly',
  module: 'writable',
  Buffer: 'readonly',
  __dirname: 'readonly',
  performance: 'readonly',
  URL: 'readonly',
};

export default tseslint.config(
  // A debuggee that must not parse is a fixture of ours, not a lint error.
  // The TypeScript samples are debuggees with their own compiler settings (and their output is
  // build output): test/support/compile-typescript.ts checks that they compile.
  {
    ignores: [
      'node_modules/',
      'test/generated/',
      'coverage/',
      'test/fixtures/**/syntax-error.js',
      'test/fixtures/**/typescript/dist*/',
      'test/fixtures/**/typescript/**/*.ts',
      'test/fixtures/**/typescript/**/*.mts',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
    rules: { 'no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }] },
  },
);
