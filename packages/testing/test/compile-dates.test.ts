/** extract(), dateTrunc(), interval arithmetic and date differences: the SQL per dialect. */
import { Column, Date as DateT, DateTime, Integer, MetaData, Table, dateTrunc, extract, interval, select } from '@athanor/core';
import { expectSQL } from './compile-helpers';

const t = new Table('ev', new MetaData(), { id: Column(Integer, { primaryKey: true }), day: Column(DateT), at: Column(DateTime({ timezone: true })) });
const per = (generic: string, sqlite: string, postgresql: string, mysql: string) => ({
  generic: { sql: generic, params: {} },
  sqlite: { sql: sqlite, params: [] },
  postgresql: { sql: postgresql, params: [] },
  mysql: { sql: mysql, params: [] },
});

test('extract: day of week 0-6 everywhere; epoch in UTC (PostgreSQL timestamptz read AT TIME ZONE UTC)', () =>
  expectSQL(
    select(extract('dow', t.c.day).label('d'), extract('epoch', t.c.at).label('e')),
    per(
      'SELECT CAST(EXTRACT(DOW FROM ev.day) AS INTEGER) AS d, EXTRACT(EPOCH FROM ev.at) AS e FROM ev',
      "SELECT CAST(strftime('%w', ev.day) AS INTEGER) AS d, unixepoch(ev.at, 'subsec') AS e FROM ev",
      "SELECT CAST(EXTRACT(DOW FROM ev.day) AS INTEGER) AS d, EXTRACT(EPOCH FROM (ev.at AT TIME ZONE 'UTC')) AS e FROM ev",
      "SELECT (DAYOFWEEK(ev.day) - 1) AS d, (TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ev.at) / 1000000) AS e FROM ev",
    ),
  ));

test('dateTrunc: native on PostgreSQL, emulated on SQLite and MySQL', () =>
  expectSQL(
    select(dateTrunc('quarter', t.c.at).label('q'), dateTrunc('month', t.c.day).label('m')),
    per(
      "SELECT date_trunc('quarter', ev.at) AS q, CAST(date_trunc('month', ev.day) AS DATE) AS m FROM ev",
      "SELECT strftime('%Y-%m-%d 00:00:00.000', ev.at, 'start of month', '-' || ((CAST(strftime('%m', ev.at) AS INTEGER) - 1) % 3) || ' months') AS q, date(ev.day, 'start of month') AS m FROM ev",
      "SELECT (date_trunc('quarter', (ev.at AT TIME ZONE 'UTC')) AT TIME ZONE 'UTC') AS q, CAST(date_trunc('month', ev.day) AS DATE) AS m FROM ev",
      "SELECT CAST(MAKEDATE(YEAR(ev.at), 1) + INTERVAL (QUARTER(ev.at) - 1) QUARTER AS DATETIME(6)) AS q, CAST(DATE_FORMAT(ev.day, '%Y-%m-01 00:00:00') AS DATE) AS m FROM ev",
    ),
  ));

test('date ± interval: months (clamped), then days, then seconds', () =>
  expectSQL(
    select(t.c.day.add(interval({ months: 1, days: 2 })).label('d'), t.c.at.sub(interval({ hours: 1, seconds: 1.5 })).label('a')),
    per(
      'SELECT CAST(ev.day + make_interval(0, 1, 0, 2, 0, 0, 0) AS DATE) AS d, (ev.at + make_interval(0, 0, 0, 0, 0, 0, -3601.5)) AS a FROM ev',
      "SELECT date(ev.day, '+1 months', 'floor', '+2 days') AS d, strftime('%Y-%m-%d %H:%M:%f', ev.at, '-3601.5 seconds') AS a FROM ev",
      "SELECT CAST(ev.day + make_interval(0, 1, 0, 2, 0, 0, 0) AS DATE) AS d, (((ev.at AT TIME ZONE 'UTC') + make_interval(0, 0, 0, 0, 0, 0, -3601.5)) AT TIME ZONE 'UTC') AS a FROM ev",
      'SELECT DATE_ADD(DATE_ADD(ev.day, INTERVAL 1 MONTH), INTERVAL 2 DAY) AS d, DATE_ADD(ev.at, INTERVAL -3601500000 MICROSECOND) AS a FROM ev',
    ),
  ));

test('date - date is days, datetime - datetime seconds', () =>
  expectSQL(
    select(t.c.day.sub(t.c.day).label('days'), t.c.at.sub(t.c.at).label('secs')),
    per(
      'SELECT (ev.day - ev.day) AS days, EXTRACT(EPOCH FROM (ev.at - ev.at)) AS secs FROM ev',
      "SELECT CAST(round(julianday(ev.day) - julianday(ev.day)) AS INTEGER) AS days, round(unixepoch(ev.at, 'subsec') - unixepoch(ev.at, 'subsec'), 3) AS secs FROM ev",
      "SELECT (ev.day - ev.day) AS days, EXTRACT(EPOCH FROM ((ev.at AT TIME ZONE 'UTC') - (ev.at AT TIME ZONE 'UTC'))) AS secs FROM ev",
      'SELECT DATEDIFF(ev.day, ev.day) AS days, (TIMESTAMPDIFF(MICROSECOND, ev.at, ev.at) / 1000000) AS secs FROM ev',
    ),
  ));

test('misuse is refused when the expression is built', () => {
  expect(() => t.c.id.add(interval({ days: 1 }) as never)).toThrow(/date \+ interval\(\)/);
  expect(() => t.c.day.add(t.c.day)).toThrow(/Date arithmetic is date \+ interval\(\), date - interval\(\) or date - date/);
  expect(() => interval({ days: 1.5 })).toThrow(/days must be a whole number/);
  expect(() => interval({ fortnights: 1 } as never)).toThrow(/unknown part 'fortnights'/);
  expect(() => extract('week' as never, t.c.day)).toThrow(/unknown field 'week'/);
  expect(() => extract('year', t.c.id as never)).toThrow(/takes a Date or DateTime expression/);
});
