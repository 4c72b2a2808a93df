/**
 * Timestamp text as databases send it, read by arithmetic. Result rows hold thousands of
 * these: no regex, substrings, `Date.UTC` or Date's string parser. Shared by the dialects
 * (each decides what to do with text this does not read).
 */

import { ArgumentError } from '../errors';

const MS_PER_DAY = 86_400_000;

/**
 * For a dialect's bind step: a Date whose time is NaN (`new Date('x')`) would reach the
 * server as '0NaN-NaN-NaN ...' (a confusing DataError) or fail in toISOString(), so every
 * dialect refuses it before anything is sent, with this error.
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function invalidDateError(column: 'DateTime' | 'Date'): ArgumentError {
  return new ArgumentError(`Invalid Date bound to a ${column} column: its time is NaN (a Date made from text that is not a date?). Pass a valid Date, or null.`);
}

/** Two ASCII digits at `i` as a number; -1 when either is not a digit. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  // `>>> 0` turns a negative difference into a large number: one comparison per digit.
  return a >>> 0 <= 9 && b >>> 0 <= 9 ? a * 10 + b : -1;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, any year (0–99 included); months and
 * days out of range roll over as with `Date.UTC`. (H. Hinnant's days_from_civil.)
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Epoch milliseconds of `YYYY-MM-DD HH:MM:SS[.fraction]` (or `T` between date and time),
 * read as UTC wall-clock time; the fraction is cut to milliseconds. NaN when the text is not
 * exactly that form (a zone, a short form, ` BC`...). Fields out of range roll over as with
 * `Date.UTC` (MySQL's zero date reads as -0001-11-30), unless `strict`, which gives NaN.
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function parseTimestampText(s: string, strict = false): number {
  const n = s.length;
  if (n < 19) return Number.NaN;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || (sep !== 32 && sep !== 84)) return Number.NaN;
  const century = two(s, 0);
  const yy = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if ((century | yy | month | day | hour | minute | second) < 0) return Number.NaN;
  if (strict && (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)) return Number.NaN;
  let ms = 0;
  if (n > 19) {
    if (s.charCodeAt(19) !== 46 || n === 20) return Number.NaN;
    for (let i = 20, scale = 100; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c >>> 0 > 9) return Number.NaN;
      if (i < 23) {
        ms += c * scale;
        scale /= 10;
      }
    }
  }
  return daysFromCivil(century * 100 + yy, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}
