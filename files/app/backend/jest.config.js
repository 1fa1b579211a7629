// Two projects: `unit` (src/**/*.spec.ts, no database) and `e2e` (test/**/*.e2e-spec.ts, against a throwaway
// MariaDB server that test/support/global-setup.ts starts, or the server named by E2E_DB_HOST).
// The e2e files share the server and the schema, so none of them counts rows it did not make.
// ts-jest only transpiles (isolatedModules in tsconfig.json); `npm run build` and `npm run typecheck` type-check.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testRegex: '\\.spec\\.ts$',
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testRegex: '\\.e2e-spec\\.ts$',
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testTimeout: 30000,
    },
  ],
};
