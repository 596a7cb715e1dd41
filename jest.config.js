// Two projects: fast pure unit tests next to the code, and integration/e2e tests
// under test/ that talk to the machine's real PostgreSQL, Redis and NATS.
const moduleNameMapper = {
  '^@zs/(contracts|domain|persistence|channels|platform|platform-sim)$': '<rootDir>/libs/$1/src',
};
const transform = { '^.+\\.ts$': ['ts-jest', {}] };
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/scripts'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      moduleNameMapper,
      transform,
    },
  ],
};
