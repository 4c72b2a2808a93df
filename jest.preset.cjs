// Shared jest settings: swc transform (types are checked by `tsc` in the typecheck task),
// workspace packages mapped to their sources so tests need no prior build.
const path = require('node:path');
const root = __dirname;
const pkg = (name, file = 'index.ts') => path.join(root, 'packages', name, 'src', file);

module.exports = {
  testEnvironment: 'node',
  // Live-database tests run several packages in parallel on 2 cores: allow for a loaded machine.
  testTimeout: 30000,
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  moduleNameMapper: {
    '^@athanor/core$': pkg('core'),
    '^@athanor/orm$': pkg('orm'),
    '^@athanor/dialect-sqlite$': pkg('dialect-sqlite'),
    '^@athanor/dialect-postgres$': pkg('dialect-postgres'),
    '^@athanor/dialect-mysql$': pkg('dialect-mysql'),
    '^@athanor/testing$': pkg('testing'),
    '^@athanor/migrate$': pkg('migrate'),
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  reporters: ['default'],
};
