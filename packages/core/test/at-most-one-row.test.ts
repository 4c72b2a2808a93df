/**
 * `Compiled.atMostOneRow`: which SELECTs the engine reads with the driver's first-row call
 * for a Result. Only a shape that cannot return two rows on any data may say yes.
 */
import { Column, Integer, MetaData, String, Table, UniqueConstraint, bindparam, compileUncached, defaultDialect, insert, or, select, union } from '@athanor/core';

const md = new MetaData();
const users = new Table('users', md, {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String(50), { unique: true }),
  name: Column(String(50)),
  org: Column(Integer),
});
const members = new Table(
  'members',
  md,
  { org: Column(Integer, { primaryKey: true }), user: Column(Integer, { primaryKey: true }), nick: Column(String(20)), team: Column(Integer) },
  new UniqueConstraint(['nick', 'team']),
);
const noKey = new Table('log', md, { id: Column(Integer), msg: Column(String(50)) });

const oneRow = (stmt: Parameters<typeof compileUncached>[1]) => compileUncached(defaultDialect, stmt).atMostOneRow;
const id = () => bindparam('id', { type: Integer });

describe('a SELECT returns at most one row', () => {
  test('when its WHERE pins the whole primary key with = to a parameter', () => {
    expect(oneRow(select(users).where(users.c.id.eq(7)))).toBe(true);
    expect(oneRow(select(users.c.name).where(users.c.id.eq(id())))).toBe(true);
    // Among other criteria, in either operand order, inside parentheses.
    expect(oneRow(select(users).where(users.c.name.like('a%'), users.c.id.eq(id())))).toBe(true);
    expect(oneRow(select(users).where(id().eq(users.c.id)))).toBe(true);
    expect(oneRow(select(members).where(members.c.org.eq(1), members.c.user.eq(2)))).toBe(true);
  });

  test('when it pins every column of a unique constraint', () => {
    expect(oneRow(select(users).where(users.c.email.eq('a@b.c')))).toBe(true);
    expect(oneRow(select(members).where(members.c.nick.eq('x'), members.c.team.eq(3)))).toBe(true);
  });

  test('not when part of a composite key is pinned', () => {
    expect(oneRow(select(members).where(members.c.org.eq(1)))).toBe(false);
    expect(oneRow(select(members).where(members.c.nick.eq('x')))).toBe(false);
  });

  test('not when the key is compared otherwise: OR, <, IN, another column', () => {
    expect(oneRow(select(users).where(or(users.c.id.eq(1), users.c.id.eq(2))))).toBe(false);
    expect(oneRow(select(users).where(users.c.id.lt(2)))).toBe(false);
    expect(oneRow(select(users).where(users.c.id.in([1, 2])))).toBe(false);
    expect(oneRow(select(users).where(users.c.id.in(bindparam('ids', { expanding: true }))))).toBe(false);
    expect(oneRow(select(users).where(users.c.id.eq(users.c.org)))).toBe(false);
    expect(oneRow(select(users).where(users.c.name.eq('ann')))).toBe(false);
    expect(oneRow(select(users))).toBe(false);
  });

  test('not when more than one table is read, or the table has no key', () => {
    expect(oneRow(select(users.c.name, members.c.nick).where(users.c.id.eq(1)))).toBe(false);
    expect(oneRow(select(users.c.name).selectFrom(users.join(members, members.c.user.eq(users.c.id))).where(users.c.id.eq(1)))).toBe(false);
    expect(oneRow(select(noKey).where(noKey.c.id.eq(1)))).toBe(false);
    const u2 = users.alias('u2');
    expect(oneRow(select(u2).where(u2.c.id.eq(1)))).toBe(false);
  });

  test('not for a compound SELECT, nor for DML', () => {
    const one = select(users.c.id).where(users.c.id.eq(1));
    expect(oneRow(union(one, select(users.c.id).where(users.c.id.eq(2))))).toBe(false);
    expect(oneRow(insert(users).values({ id: 1 }))).toBe(false);
  });

  test('a nested SELECT by key does not make the outer one a single row', () => {
    const inner = select(users.c.org).where(users.c.id.eq(1)).scalarSubquery();
    expect(oneRow(select(members).where(members.c.org.eq(inner)))).toBe(false);
  });
});
