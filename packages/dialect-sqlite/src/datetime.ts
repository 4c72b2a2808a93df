/**
 * Dates on SQLite, which stores them as text (`YYYY-MM-DD`, and UTC `YYYY-MM-DD HH:MM:SS.sss`
 * for DateTime): fields through strftime(), truncation and interval arithmetic through the
 * date functions' modifiers. A month step clamps to the month's last day with the `floor`
 * modifier (SQLite 3.46+), as PostgreSQL and MySQL do; without it SQLite would roll over
 * into the next month (Jan 31 + 1 month = Mar 2).
 */
import { type DateField, type Interval, type TruncField, secondsLiteral } from '@athanor/core';

const STRFTIME: Partial<Record<DateField, string>> = { year: '%Y', month: '%m', day: '%d', hour: '%H', minute: '%M', second: '%S', dow: '%w', doy: '%j' };

export function sqliteExtract(field: DateField, x: string): string {
  if (field === 'epoch') return `unixepoch(${x}, 'subsec')`;
  if (field === 'quarter') return `((CAST(strftime('%m', ${x}) AS INTEGER) + 2) / 3)`;
  return `CAST(strftime('${STRFTIME[field]}', ${x}) AS INTEGER)`;
}

/** The format of a DateTime value (what the dialect binds), with the parts below `field` zeroed. */
const TRUNC_FORMAT: Record<TruncField, string> = {
  year: '%Y-01-01 00:00:00.000',
  quarter: '%Y-%m-01 00:00:00.000',
  month: '%Y-%m-01 00:00:00.000',
  day: '%Y-%m-%d 00:00:00.000',
  hour: '%Y-%m-%d %H:00:00.000',
  minute: '%Y-%m-%d %H:%M:00.000',
};

export function sqliteTruncate(field: TruncField, x: string, date: boolean): string {
  // A quarter starts 0-2 months before the month's start.
  const back = field === 'quarter' ? `, '-' || ((CAST(strftime('%m', ${x}) AS INTEGER) - 1) % 3) || ' months'` : '';
  if (date) {
    if (field === 'year') return `date(${x}, 'start of year')`;
    if (field === 'quarter' || field === 'month') return `date(${x}, 'start of month'${back})`;
    return `date(${x})`;
  }
  return back ? `strftime('${TRUNC_FORMAT.day}', ${x}, 'start of month'${back})` : `strftime('${TRUNC_FORMAT[field]}', ${x})`;
}

/** `date(x, '+3 months', 'floor', '+2 days', '+1.5 seconds')`, or the DateTime text format. */
export function sqliteAddInterval(x: string, iv: Interval, date: boolean): string {
  const mods: string[] = [];
  if (iv.months !== 0) mods.push(`'${iv.months > 0 ? '+' : ''}${iv.months} months'`, "'floor'");
  if (iv.days !== 0) mods.push(`'${iv.days > 0 ? '+' : ''}${iv.days} days'`);
  if (iv.microseconds !== 0) mods.push(`'${iv.microseconds > 0 ? '+' : ''}${secondsLiteral(iv.microseconds)} seconds'`);
  const args = [x, ...mods].join(', ');
  return date ? `date(${args})` : `strftime('%Y-%m-%d %H:%M:%f', ${args})`;
}

export function sqliteDaysBetween(a: string, b: string): string {
  return `CAST(round(julianday(${a}) - julianday(${b})) AS INTEGER)`;
}

export function sqliteSecondsBetween(a: string, b: string): string {
  return `round(unixepoch(${a}, 'subsec') - unixepoch(${b}, 'subsec'), 3)`;
}
