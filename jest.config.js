// Three projects so `npm test` (unit + integration) and `npm run test:e2e` stay separate.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      // Real servers and whole conversations: generous under parallel load on two cores.
      testTimeout: 30000,
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/bot/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testTimeout: 60000,
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
