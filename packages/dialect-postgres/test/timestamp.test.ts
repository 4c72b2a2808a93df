import { parseTimestampUTC } from '../src/timestamp';

/** `timestamp` text read as UTC wall-clock time, to the millisecond. */
describe('parseTimestampUTC', () => {
  const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : v);

  test.each([
    ['2024-02-29 23:59:58', '2024-02-29T23:59:58.000Z'],
    ['2024-02-29 23:59:58.1', '2024-02-29T23:59:58.100Z'],
    ['2024-02-29 23:59:58.123456', '2024-02-29T23:59:58.123Z'],
    ['1969-12-31 23:59:59.999', '1969-12-31T23:59:59.999Z'],
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
    ['0099-12-31 12:00:00.5', '0099-12-31T12:00:00.500Z'],
    ['9999-12-31 23:59:59.999999', '9999-12-31T23:59:59.999Z'],
    // Not the plain form: the general path.
    ['12345-06-07 08:09:10', '+012345-06-07T08:09:10.000Z'],
    ['0044-03-15 12:00:00 BC', '-000043-03-15T12:00:00.000Z'],
    ['0001-01-01 00:00:00.5 BC', '0000-01-01T00:00:00.500Z'],
    ['infinity', 'infinity'],
    ['-infinity', '-infinity'],
  ])('%s', (text, expected) => {
    expect(iso(parseTimestampUTC(text))).toBe(expected);
  });

  test('agrees with Date wall-clock arithmetic over years 1–9999', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let i = 0; i < 5000; i++) {
      const [y, mo, d, h, mi, s] = [
        1 + ((i * 7919) % 9999),
        1 + (i % 12),
        1 + ((i * 31) % 28),
        i % 24,
        (i * 7) % 60,
        (i * 13) % 60,
      ];
      // A fraction on two rows of three, with 3 or 6 digits; none on the third.
      const ms = i % 3 ? (i * 37) % 1000 : 0;
      const fraction = i % 3 ? `.${pad(ms, 3)}${i % 2 ? '456' : ''}` : '';
      const expected = new Date(0);
      expected.setUTCFullYear(y, mo - 1, d);
      expected.setUTCHours(h, mi, s, ms);
      const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}${fraction}`;
      expect(iso(parseTimestampUTC(text))).toBe(expected.toISOString());
    }
  });
});
