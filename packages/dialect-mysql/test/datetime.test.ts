import { parseDateTime } from '../src';

/** The driver's DATETIME text (dateStrings) read as UTC wall-clock time, to the millisecond. */
describe('parseDateTime', () => {
  test.each([
    ['2024-02-29 23:59:58', '2024-02-29T23:59:58.000Z'],
    ['2024-02-29 23:59:58.1', '2024-02-29T23:59:58.100Z'],
    ['2024-02-29 23:59:58.12', '2024-02-29T23:59:58.120Z'],
    ['2024-02-29 23:59:58.123', '2024-02-29T23:59:58.123Z'],
    ['2024-02-29 23:59:58.123999', '2024-02-29T23:59:58.123Z'],
    ['1970-01-01T00:00:00', '1970-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59.999999', '9999-12-31T23:59:59.999Z'],
    ['1000-01-01 00:00:00', '1000-01-01T00:00:00.000Z'],
    ['0100-03-01 01:02:03', '0100-03-01T01:02:03.000Z'],
    // Years below 100 are not 19xx.
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
    ['0099-12-31 12:00:00.5', '0099-12-31T12:00:00.500Z'],
    // DATE text: midnight.
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('%s', (text, iso) => {
    expect(parseDateTime(text).toISOString()).toBe(iso);
  });

  test('text that is not a date gives an invalid Date', () => {
    expect(Number.isNaN(parseDateTime('not a date').getTime())).toBe(true);
  });
});
