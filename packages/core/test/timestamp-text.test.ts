import { daysFromCivil, parseTimestampText } from '../src/util/timestamp-text';

describe('parseTimestampText', () => {
  test.each([
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59.000Z'],
    ['2024-02-29T23:59:59', '2024-02-29T23:59:59.000Z'],
    ['1969-12-31 23:59:59.5', '1969-12-31T23:59:59.500Z'],
    ['2000-01-01 00:00:00.123456', '2000-01-01T00:00:00.123Z'],
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
    ['0099-06-15 12:00:00', '0099-06-15T12:00:00.000Z'],
    ['9999-12-31 23:59:59.999', '9999-12-31T23:59:59.999Z'],
  ])('%s reads as %s (UTC, to the millisecond)', (text, iso) => {
    expect(new Date(parseTimestampText(text)).toISOString()).toBe(iso);
    expect(new Date(parseTimestampText(text, true)).toISOString()).toBe(iso);
  });
  test.each(['2024-01-01', '2024-01-01 10:00', '2024-01-01 10:00:00Z', '2024-01-01 10:00:00+02:00', '2024-01-01 10:00:00.', '2024-01-01 10:00:00 BC', '12024-01-01 10:00:00', '2024-0a-01 10:00:00', '2024/01/01 10:00:00', 'infinity'])(
    '%s is not the plain form: NaN',
    (text) => expect(parseTimestampText(text)).toBeNaN(),
  );
  test('out-of-range fields roll over like Date.UTC, or give NaN when strict', () => {
    expect(new Date(parseTimestampText('0000-00-00 00:00:00')).toISOString()).toBe('-000001-11-30T00:00:00.000Z');
    expect(parseTimestampText('2024-13-01 00:00:00')).toBe(Date.UTC(2024, 12, 1));
    expect(parseTimestampText('2024-13-01 00:00:00', true)).toBeNaN();
    expect(parseTimestampText('2024-01-01 24:00:00', true)).toBeNaN();
  });
  test('daysFromCivil agrees with Date.UTC across eras', () => {
    for (const [y, m, d] of [[1970, 1, 1], [1600, 2, 29], [2400, 3, 1], [-44, 3, 15], [2038, 1, 19]]) {
      const utc = new Date(0);
      utc.setUTCFullYear(y, m - 1, d);
      utc.setUTCHours(0, 0, 0, 0);
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(utc.getTime());
    }
  });
});
