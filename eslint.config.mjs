// ESLint (flat config): the import boundaries of the monorepo, nothing about style.
// See docs/adr/0026-lint-boundaries-template-db-table-ownership.md.
//
//   libs/domain      pure rules: no other lib of the repo, no framework or driver
//   apps/<a>         never imports another app
//   libs/platform-sim the WeCom / DingTalk simulators are development tools: only tests
//                    (test/, *.spec.ts), scripts/ and platform-sim itself import them
//   controllers      every HTTP route is guarded (@UseGuards) or explicitly public
//                    (@PublicEndpoint('why')): eslint-rules/controller-guarded.mjs
//
// `no-restricted-imports` catches the module names (@zs/*, @nestjs/*, typeorm, ...);
// `import-x/no-restricted-paths` resolves every import (aliases through tsconfig paths,
// and relative ones like '../../../scoring/src/x') and checks where the file really is.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import zs from './eslint-rules/controller-guarded.mjs';

const APPS = ['bot-gateway', 'lead-intake', 'scoring', 'notification', 'scheduler'];
const LIBS = ['contracts', 'domain', 'persistence', 'channels', 'platform', 'platform-sim'];

// Frameworks, drivers and transports a pure domain rule must not know about.
const DOMAIN_FORBIDDEN_PACKAGES = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'nats',
  'nats/*',
  'ioredis',
  'bullmq',
  'pg',
  'pg/*',
  'express',
  'ws',
  'helmet',
];

const TEST_FILES = ['**/*.spec.ts', 'test/**/*.ts'];

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'reports/**', '.run/**', '.stryker-tmp/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    // @typescript-eslint is registered so that existing `eslint-disable` comments naming its
    // rules resolve; no style rule is switched on.
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  // Production code never reaches the simulators.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [...TEST_FILES, 'libs/platform-sim/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@zs/platform-sim', '@zs/platform-sim/*'], message: 'The platform simulators are development tools: import them only from tests and scripts.' }] },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: ['./apps', './libs'],
              from: './libs/platform-sim',
              except: [],
              message: 'The platform simulators are development tools: import them only from tests and scripts.',
            },
            // apps never import another app (each app may import itself)
            ...APPS.map((app) => ({
              target: `./apps/!(${app})/**/*`,
              from: `./apps/${app}`,
              message: 'An app never imports another app: share through libs/ or talk over NATS.',
            })),
          ],
        },
      ],
    },
  },
  // The simulators' own specs are tests; still no app imports another app.
  {
    files: ['apps/**/*.spec.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: APPS.map((app) => ({
            target: `./apps/!(${app})/**/*`,
            from: `./apps/${app}`,
            message: 'An app never imports another app: share through libs/ or talk over NATS.',
          })),
        },
      ],
    },
  },
  // Every HTTP route of a controller is guarded or explicitly public.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: TEST_FILES,
    plugins: { zs },
    rules: { 'zs/controller-guarded': 'error' },
  },
  // libs/domain is pure: no other lib of the repo, no framework.
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@zs/*'], message: 'libs/domain imports no other lib of the repo: keep the rule pure and let the caller pass what it needs.' },
            { group: DOMAIN_FORBIDDEN_PACKAGES, message: 'libs/domain imports no framework, driver or transport.' },
          ],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './libs/domain',
              from: ['./apps', ...LIBS.filter((l) => l !== 'domain').map((l) => `./libs/${l}`)],
              message: 'libs/domain imports no other lib or app of the repo.',
            },
          ],
        },
      ],
    },
  },
];
