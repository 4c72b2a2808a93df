/** Outer-join nullability: the right side of outerJoin (both sides of fullJoin) reads as `T | null`. */
import { Column, ForeignKey, Integer, MetaData, String, Table, func, select } from '@athanor/core';
import { type Equal, expectType } from './assert';

const metadata = new MetaData();
const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
});
const addresses = new Table('addresses', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id'), { nullable: false }),
  email: Column(String(100), { nullable: false }),
});
const orders = new Table('orders', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id'), { nullable: false }),
  total: Column(Integer, { nullable: false }),
});

// Inner join: nothing changes.
const inner = select(users.c.name, addresses.c.email).join(addresses, users.c.id.eq(addresses.c.userId));
expectType<Equal<typeof inner.__row, { name: string; email: string }>>(true);

// LEFT OUTER JOIN: the right table's columns become nullable, the left's do not.
const left = select(users.c.name, addresses.c.email).selectFrom(users).outerJoin(addresses, users.c.id.eq(addresses.c.userId));
expectType<Equal<typeof left.__row, { name: string; email: string | null }>>(true);
// @ts-expect-error email may be null after an outer join
const _notNull: string = ({} as typeof left.__row).email;

// The same through join(..., { isOuter: true }), and kept through later builder calls.
const viaOptions = select(users.c.name, addresses.c.email)
  .join(addresses, users.c.id.eq(addresses.c.userId), { isOuter: true })
  .where(users.c.name.like('a%'))
  .orderBy(users.c.name)
  .limit(5);
expectType<Equal<typeof viaOptions.__row, { name: string; email: string | null }>>(true);

// Whole tables: every column of the outer-joined table.
const whole = select(users, addresses.c.email.label('mail')).outerJoin(orders);
expectType<Equal<typeof whole.__row, { id: number; name: string; mail: string }>>(true);
const wholeRight = select(users.c.name, orders).outerJoin(orders);
expectType<Equal<typeof wholeRight.__row, { name: string; id: number | null; userId: number | null; total: number | null }>>(true);

// Two outer joins accumulate; an inner join after them leaves them as they are.
const two = select(users.c.name, addresses.c.email, orders.c.total)
  .outerJoin(addresses, users.c.id.eq(addresses.c.userId))
  .outerJoin(orders, users.c.id.eq(orders.c.userId));
expectType<Equal<typeof two.__row, { name: string; email: string | null; total: number | null }>>(true);

// FULL OUTER JOIN: both sides.
const full = select(users.c.name, addresses.c.email).fullJoin(addresses, users.c.id.eq(addresses.c.userId));
expectType<Equal<typeof full.__row, { name: string | null; email: string | null }>>(true);

// Expressions and labels keep their types (documented limitation); aliases as targets change nothing.
const counted = select(users.c.name, func.count(addresses.c.id).label('n')).outerJoin(addresses).groupBy(users.c.name);
expectType<Equal<typeof counted.__row, { name: string; n: number }>>(true);
const a2 = addresses.alias('a2');
const aliased = select(users.c.name, a2.c.email).outerJoin(a2, users.c.id.eq(a2.c.userId));
expectType<Equal<typeof aliased.__row, { name: string; email: string }>>(true);

// table.select() and addColumns() keep the sources.
const fromTable = users.select().addColumns(addresses.c.email).outerJoin(addresses);
expectType<Equal<typeof fromTable.__row, { id: number; name: string; email: string | null }>>(true);
