/**
 * Dates: extract(), dateTrunc(), interval arithmetic and differences on every database,
 * across month ends, leap days and New York's DST changes (the suite also runs with the
 * process in TZ=America/New_York). Expected values come from the UTC calendar computed
 * here with Date.UTC, not from the database or the library.
 */
import { type DateField, type TruncField, dateTrunc, delete_, extract, insert, interval, literal, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export const EVENT_ROWS = [
  { id: 1, day: '2024-01-31', at: new Date('2024-01-31T23:59:58.123Z') },
  { id: 2, day: '2024-02-29', at: new Date('2024-02-29T12:00:00.000Z') },
  { id: 3, day: '2023-12-31', at: new Date('2024-03-10T07:30:00.500Z') }, // New York springs forward at 07:00Z
  { id: 4, day: '2024-11-03', at: new Date('2024-11-03T05:30:00.000Z') }, // and falls back at 06:00Z
  { id: 5, day: '2000-02-28', at: new Date('1999-12-31T23:59:59.999Z') },
].map((r) => ({ ...r, atz: r.at }));

const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** A UTC calendar field of `d`, computed without the database. */
function field(f: DateField, d: Date): number {
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  switch (f) {
    case 'year':
      return d.getUTCFullYear();
    case 'quarter':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'second':
      return d.getUTCSeconds();
    case 'dow':
      return d.getUTCDay();
    case 'doy':
      return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - jan1) / 86_400_000) + 1;
    case 'epoch':
      return d.getTime() / 1000;
  }
}

function trunc(f: TruncField, d: Date): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (f) {
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'day':
      return new Date(Date.UTC(y, m, d.getUTCDate()));
    case 'hour':
      return new Date(Date.UTC(y, m, d.getUTCDate(), d.getUTCHours()));
    case 'minute':
      return new Date(Date.UTC(y, m, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()));
  }
}

/** Adds months clamping to the month's last day, then days, then milliseconds (how SQL applies an interval). */
function plus(d: Date, months: number, days: number, ms: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  return new Date(out.getTime() + days * 86_400_000 + ms);
}

const FIELDS: DateField[] = ['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second', 'dow', 'doy', 'epoch'];
const DATE_FIELDS: DateField[] = ['year', 'quarter', 'month', 'day', 'dow', 'doy', 'epoch'];
const UNITS: TruncField[] = ['year', 'quarter', 'month', 'day', 'hour', 'minute'];

export function dateTests(ctx: SuiteContext): void {
  const { events: e } = ctx.t;
  const load = () =>
    ctx.engine.begin(async (c) => {
      await c.execute(delete_(e));
      await c.execute(insert(e), EVENT_ROWS);
    });
  const rows = async (stmt: any): Promise<any[]> => ctx.engine.connect(async (c) => (await c.execute(stmt)).all());

  ctx.test('extract() reads every field in UTC from DateTime, zone-aware DateTime and Date', async () => {
    await load();
    const got = await rows(
      select(
        e.c.id,
        ...FIELDS.map((f) => extract(f, e.c.at).label(`at_${f}`)),
        ...FIELDS.map((f) => extract(f, e.c.atz).label(`atz_${f}`)),
        ...DATE_FIELDS.map((f) => extract(f, e.c.day).label(`day_${f}`)),
      ).orderBy(e.c.id),
    );
    const want = EVENT_ROWS.map((r) => ({
      id: r.id,
      ...Object.fromEntries(FIELDS.map((f) => [`at_${f}`, field(f, r.at)])),
      ...Object.fromEntries(FIELDS.map((f) => [`atz_${f}`, field(f, r.at)])),
      ...Object.fromEntries(DATE_FIELDS.map((f) => [`day_${f}`, field(f, utcDay(r.day))])),
    }));
    expect(got).toEqual(want);
  });

  ctx.test('dateTrunc() to year, quarter, month, day, hour and minute', async () => {
    await load();
    const got = await rows(
      select(
        e.c.id,
        ...UNITS.map((u) => dateTrunc(u, e.c.at).label(`at_${u}`)),
        ...UNITS.map((u) => dateTrunc(u, e.c.atz).label(`atz_${u}`)),
        ...(['year', 'quarter', 'month', 'day'] as const).map((u) => dateTrunc(u, e.c.day).label(`day_${u}`)),
      ).orderBy(e.c.id),
    );
    const want = EVENT_ROWS.map((r) => ({
      id: r.id,
      ...Object.fromEntries(UNITS.map((u) => [`at_${u}`, trunc(u, r.at)])),
      ...Object.fromEntries(UNITS.map((u) => [`atz_${u}`, trunc(u, r.at)])),
      ...Object.fromEntries((['year', 'quarter', 'month', 'day'] as const).map((u) => [`day_${u}`, iso(trunc(u, utcDay(r.day)))])),
    }));
    expect(got).toEqual(want);
  });

  ctx.test('date + interval clamps month ends (Jan 31 + 1 month is Feb 29 in 2024; Feb 29 + 1 year is Feb 28)', async () => {
    await load();
    const got = await rows(
      select(
        e.c.id,
        e.c.day.add(interval({ months: 1 })).label('m1'),
        e.c.day.add(interval({ years: 1 })).label('y1'),
        e.c.day.sub(interval({ months: 1, days: 1 })).label('back'),
        e.c.day.add(interval({ weeks: 1, days: 1 })).label('d8'),
      ).orderBy(e.c.id),
    );
    const want = EVENT_ROWS.map((r) => {
      const d = utcDay(r.day);
      return { id: r.id, m1: iso(plus(d, 1, 0, 0)), y1: iso(plus(d, 12, 0, 0)), back: iso(plus(d, -1, -1, 0)), d8: iso(plus(d, 0, 8, 0)) };
    });
    expect(got).toEqual(want);
    expect(got[0].m1).toBe('2024-02-29');
    expect(got[1].y1).toBe('2025-02-28');
  });

  ctx.test('datetime ± interval in UTC, across DST changes, for DateTime and zone-aware DateTime', async () => {
    await load();
    const step = interval({ months: 1, days: 1, hours: 1, seconds: 1.5 });
    const got = await rows(
      select(e.c.id, e.c.at.add(step).label('up'), e.c.atz.sub(interval({ days: 90 })).label('back'), e.c.atz.add(interval({ days: 1 })).label('next')).orderBy(e.c.id),
    );
    const want = EVENT_ROWS.map((r) => ({ id: r.id, up: plus(r.at, 1, 1, 3_601_500), back: plus(r.at, 0, -90, 0), next: plus(r.at, 0, 1, 0) }));
    expect(got).toEqual(want);
  });

  ctx.test('datetime - datetime is seconds, date - date is days', async () => {
    await load();
    const ref = EVENT_ROWS[1];
    const got = await rows(select(e.c.id, e.c.at.sub(literal(ref.at, e.c.at.type)).label('secs'), e.c.day.sub(literal(ref.day, e.c.day.type)).label('days')).orderBy(e.c.id));
    const want = EVENT_ROWS.map((r) => ({ id: r.id, secs: (r.at.getTime() - ref.at.getTime()) / 1000, days: (utcDay(r.day).getTime() - utcDay(ref.day).getTime()) / 86_400_000 }));
    expect(got).toEqual(want);
  });

  ctx.test('a date window: events in the 90 days before a bound date', async () => {
    await load();
    const end = new Date('2024-03-10T12:00:00Z');
    const got = await rows(select(e.c.id).where(e.c.at.gt(literal(end).sub(interval({ days: 90 }))), e.c.at.le(end)).orderBy(e.c.id));
    const start = end.getTime() - 90 * 86_400_000;
    expect(got.map((r) => r.id)).toEqual(EVENT_ROWS.filter((r) => r.at.getTime() > start && r.at.getTime() <= end.getTime()).map((r) => r.id));
  });
}
