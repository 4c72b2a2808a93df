module.exports = { ...require('../../jest.preset.cjs'), displayName: 'dialect-mysql',
  // *.ny.test.ts run in a second jest under TZ=America/New_York (see the test script).
  testPathIgnorePatterns: ['/node_modules/', '\\.ny\\.test\\.ts$'],
};
