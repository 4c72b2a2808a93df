/**
 * Dates on MySQL/MariaDB. DATETIME(6) holds the UTC wall-clock time the driver sends, so
 * fields and arithmetic read UTC; `epoch` counts from 1970-01-01 with TIMESTAMPDIFF rather
 * than UNIX_TIMESTAMP(), which would read the value in the session time zone.
 * `date_trunc` is emulated with DATE_FORMAT/MAKEDATE.
 */
import { type DateField, type Interval, type TruncField } from '@athanor/core';

const FUNCTIONS: Partial<Record<DateField, string>> = { year: 'YEAR', quarter: 'QUARTER', month: 'MONTH', day: 'DAYOFMONTH', hour: 'HOUR', minute: 'MINUTE', second: 'SECOND', doy: 'DAYOFYEAR' };

export function mysqlExtract(field: DateField, x: string): string {
  if (field === 'epoch') return `(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${x}) / 1000000)`;
  // DAYOFWEEK is 1 (Sunday) to 7; extract('dow') is 0 to 6 everywhere.
  if (field === 'dow') return `(DAYOFWEEK(${x}) - 1)`;
  return `${FUNCTIONS[field]}(${x})`;
}

const FORMAT: Record<Exclude<TruncField, 'quarter'>, string> = {
  year: '%Y-01-01 00:00:00',
  month: '%Y-%m-01 00:00:00',
  day: '%Y-%m-%d 00:00:00',
  hour: '%Y-%m-%d %H:00:00',
  minute: '%Y-%m-%d %H:%i:00',
};

export function mysqlTruncate(field: TruncField, x: string, date: boolean): string {
  const type = date ? 'DATE' : 'DATETIME(6)';
  if (field === 'quarter') return `CAST(MAKEDATE(YEAR(${x}), 1) + INTERVAL (QUARTER(${x}) - 1) QUARTER AS ${type})`;
  return `CAST(DATE_FORMAT(${x}, '${FORMAT[field]}') AS ${type})`;
}

/** Months, then days, then microseconds, as PostgreSQL applies an interval. */
export function mysqlAddInterval(x: string, iv: Interval): string {
  let sql = x;
  if (iv.months !== 0) sql = `DATE_ADD(${sql}, INTERVAL ${iv.months} MONTH)`;
  if (iv.days !== 0) sql = `DATE_ADD(${sql}, INTERVAL ${iv.days} DAY)`;
  if (iv.microseconds !== 0) sql = `DATE_ADD(${sql}, INTERVAL ${iv.microseconds} MICROSECOND)`;
  return sql;
}

export function mysqlSecondsBetween(a: string, b: string): string {
  return `(TIMESTAMPDIFF(MICROSECOND, ${b}, ${a}) / 1000000)`;
}
