/** `timestamp` (without time zone) text as PostgreSQL sends it, read as UTC wall-clock time. */
export function parseTimestampUTC(text: string): Date | string {
  return parsePlain(text) ?? parseGeneral(text);
}

const DASH = 45;
const COLON = 58;
const SPACE = 32;
const DOT = 46;
const MS_PER_DAY = 86_400_000;
/** Where the digits of `YYYY-MM-DD HH:MM:SS` are. */
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

const isDigit = (c: number) => c >= 48 && c <= 57;
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/**
 * The common form `YYYY-MM-DD HH:MM:SS[.ffffff]` (four-digit year, AD): digits read in place and
 * epoch milliseconds by arithmetic, for the thousands of values a fetch holds. Null otherwise.
 */
function parsePlain(s: string): Date | null {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(10) !== SPACE)
    return null;
  if (s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return null;
  for (const i of DIGIT_POSITIONS) if (!isDigit(s.charCodeAt(i))) return null;
  let ms = 0;
  if (n > 19) {
    // Only a fraction may follow (not ' BC'): '.' and digits to the end.
    if (s.charCodeAt(19) !== DOT || n === 20) return null;
    for (let i = 20, scale = 100; i < n; i++, scale /= 10) {
      const c = s.charCodeAt(i);
      if (!isDigit(c)) return null;
      if (i < 23) ms += (c - 48) * scale;
    }
  }
  const days = daysFromCivil(two(s, 0) * 100 + two(s, 2), two(s, 5), two(s, 8));
  return new Date(days * MS_PER_DAY + ((two(s, 11) * 60 + two(s, 14)) * 60 + two(s, 17)) * 1000 + ms);
}

/** Days since 1970-01-01 of a proleptic Gregorian date, any year (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Every other form: 'infinity', years past 9999, BC dates. */
function parseGeneral(text: string): Date | string {
  if (text === 'infinity' || text === '-infinity') return text;
  const bc = text.endsWith(' BC');
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(text);
  if (!m) return new Date(`${text}Z`);
  let year = Number(m[1]);
  if (bc) year = 1 - year;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(
    Date.UTC(2000, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms),
  );
  d.setUTCFullYear(year);
  return d;
}
