module.exports = { ...require('../../jest.preset.cjs'), displayName: 'dialect-postgres' };
