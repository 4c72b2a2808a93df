module.exports = { ...require('../../jest.preset.cjs'), displayName: 'dialect-postgres',
  // *.ny.test.ts run only in a second jest under TZ=America/New_York, together with the
  // compliance suite (every value type round-trips under both process time zones).
  testPathIgnorePatterns: ['/node_modules/', '\\.ny\\.test\\.ts$'],
};
