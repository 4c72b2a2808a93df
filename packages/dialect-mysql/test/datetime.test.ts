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
    // Out-of-range parts roll over as Date.UTC does (MySQL's zero date included).
    ['2024-02-30 00:00:00', '2024-03-01T00:00:00.000Z'],
    ['2023-13-01 00:00:00', '2024-01-01T00:00:00.000Z'],
    ['0000-00-00 00:00:00', '-000001-11-30T00:00:00.000Z'],
    // DATE text: midnight.
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('%s', (text, iso) => {
    expect(parseDateTime(text).toISOString()).toBe(iso);
  });

  test('agrees with Date.UTC wall-clock arithmetic over years 1–9999', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let i = 0; i < 5000; i++) {
      const [y, mo, d, h, mi, s, ms] = [
        1 + ((i * 7919) % 9999),
        1 + (i % 12),
        1 + ((i * 31) % 28),
        i % 24,
        (i * 7) % 60,
        (i * 13) % 60,
        (i * 37) % 1000,
      ];
      const expected = new Date(0);
      expected.setUTCFullYear(y, mo - 1, d);
      expected.setUTCHours(h, mi, s, ms);
      const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}${i % 2 ? '456' : ''}`;
      expect(parseDateTime(text).toISOString()).toBe(expected.toISOString());
    }
  });

  test('text that is not a date gives an invalid Date', () => {
    expect(Number.isNaN(parseDateTime('not a date').getTime())).toBe(true);
  });
});
