/** Date typing: interval arithmetic, differences, extract() and dateTrunc() (checked by tsc). */
import { Column, type ColumnElement, Date, type DateString, DateTime, Integer, MetaData, String, Table, dateTrunc, extract, func, interval } from '@athanor/core';
import { type Equal, expectType } from './assert';

const t = new Table('ev', new MetaData(), {
  id: Column(Integer, { primaryKey: true }),
  day: Column(Date, { nullable: false }),
  at: Column(DateTime, { nullable: false }),
  maybe: Column(DateTime),
  name: Column(String(20), { nullable: false }),
});
type ValueOf<E> = E extends ColumnElement<infer V, any> ? V : never;

const later = t.c.day.add(interval({ months: 3 }));
expectType<Equal<ValueOf<typeof later>, DateString>>(true);
const earlier = t.c.at.sub(interval({ days: 90 }));
expectType<Equal<ValueOf<typeof earlier>, globalThis.Date>>(true);
const secs = t.c.at.sub(t.c.maybe);
expectType<Equal<ValueOf<typeof secs>, number | null>>(true);
const days = t.c.day.sub(t.c.day);
expectType<Equal<ValueOf<typeof days>, number>>(true);
const year = extract('year', t.c.maybe);
expectType<Equal<ValueOf<typeof year>, number | null>>(true);
const month = dateTrunc('month', t.c.at);
expectType<Equal<ValueOf<typeof month>, globalThis.Date>>(true);
expectType<Equal<ValueOf<ReturnType<typeof func.now>>, globalThis.Date>>(true);
expectType<Equal<ValueOf<ReturnType<typeof func.currentDate>>, DateString>>(true);
// Comparisons with a computed date bound.
t.c.at.gt(func.now().sub(interval({ days: 90 })));
t.c.day.ge('2024-02-29');
// @ts-expect-error extract() takes a date expression
extract('year', t.c.id);
// @ts-expect-error a text column is not a date
dateTrunc('day', t.c.name);
