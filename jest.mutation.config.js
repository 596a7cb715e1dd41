// Jest for mutation testing (npm run mutation): only libs/domain's unit specs, transpiled
// without type checking (Stryker's instrumented code is not meant to type-check, and each
// mutant run should cost as little as possible).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs/domain'],
  testMatch: ['**/*.spec.ts'],
  moduleNameMapper: {
    '^@zs/(contracts|domain|persistence|channels|platform|platform-sim)$': '<rootDir>/libs/$1/src',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
};
