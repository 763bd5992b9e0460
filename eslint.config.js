// ESLint with type information, for the bugs the compiler lets through: above all promises
// that nobody awaits or handles. `npm run lint` runs it, then scripts/lint.ts (conventions).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // The vendored corpus and build outputs are not ours to lint.
  { ignores: ['dist/', 'generated/', 'test/corpus/', '**/node_modules/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json nearest to it (the root one, or the Plot
        // Palette backend's); the few plain JavaScript files outside any tsconfig get a default one.
        // The default project's cap (8 files) is raised to take the build and tooling scripts.
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'scripts/*.mjs', 'bench/*.mjs'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's describe/it return promises that the runner itself waits for.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      // A switch with a default branch has decided what the other members do; one without must name them all.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // As tsc's noUnusedLocals/noUnusedParameters: a leading _ or a rest sibling marks a value left out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Async methods without await implement async interfaces (the CloudFormation API, emulator handlers): a throw must become a rejection.
      '@typescript-eslint/require-await': 'off',
      // String() coerces untyped wire, template and request values on purpose.
      '@typescript-eslint/no-base-to-string': 'off',
      // The terminal renderers and their tests match ANSI escape sequences, which start with a control character.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON output and parsed templates as `any` and assert on their shape: a wrong shape fails the test.
    files: ['test/**', 'examples/plot-palette/backend/test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript run by Node: its values have no types to be unsafe about.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
