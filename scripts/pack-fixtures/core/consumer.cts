// Scenario core-only, TypeScript as CommonJS (.cts: imports compile to require()): types come
// from the "require" condition (dist/index.d.cts). Type-checked only (tsc --noEmit), never run.
import { MetaData, Table, Column, Integer, String, ForeignKey, select, func, and, desc } from '@athanor/core';

type IsAny<T> = 0 extends 1 & T ? true : false;

const metadata = new MetaData();

const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  age: Column(Integer),
});

const addresses = new Table('addresses', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
  email: Column(String(100), { nullable: false, unique: true }),
});

const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
  .join(addresses, users.c.id.eq(addresses.c.userId))
  .where(and(users.c.age.gt(20), users.c.name.like('s%')))
  .groupBy(users.c.name)
  .orderBy(desc('n'));

const text: string = stmt.toString();
const { sql, params } = stmt.compile();
const compiled: string = sql;
console.log(text, compiled, params);

// The published declarations are real types, not `any` (a broken .d.ts often degrades to any).
const selectIsTyped: IsAny<typeof select> = false;
const tableIsTyped: IsAny<typeof users> = false;
const columnIsTyped: IsAny<typeof users.c.name> = false;
const stmtIsTyped: IsAny<typeof stmt> = false;
// @ts-expect-error `users` has no column `nope`
users.c.nope;
console.log(selectIsTyped, tableIsTyped, columnIsTyped, stmtIsTyped);
