/** Tables shared by the compile-*.test.ts files: fresh per call, so no test sees another's state. */
import {
  Boolean as BooleanT,
  Column,
  DateTime,
  ForeignKey,
  Integer,
  MetaData,
  Numeric,
  String,
  Table,
  Text,
} from '@athanor/core';

export function schema() {
  const metadata = new MetaData();
  const users = new Table('users', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(50), { nullable: false }),
    age: Column(Integer),
  });
  const posts = new Table('posts', metadata, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id'), { name: 'user_id', nullable: false }),
    title: Column(Text),
    score: Column(Numeric(10, 2)),
  });
  // Self-referencing: an employee's manager is another employee.
  const employees = new Table('employees', metadata, {
    id: Column(Integer, { primaryKey: true }),
    managerId: Column(Integer, ForeignKey('employees.id'), { name: 'manager_id' }),
    name: Column(String(50)),
  });
  // Names that need quoting: reserved words, mixed case, embedded quote characters.
  const order = new Table('order', metadata, {
    select: Column(Integer, { primaryKey: true }),
    Mixed: Column(String(20)),
    dq: Column(String(20), { name: 'a"b' }),
    bq: Column(String(20), { name: 'c`d' }),
    active: Column(BooleanT),
    at: Column(DateTime),
  });
  const audit = new Table(
    'log',
    metadata,
    { id: Column(Integer, { primaryKey: true }), msg: Column(Text) },
    { schema: 'audit' },
  );
  return { metadata, users, posts, employees, order, audit };
}
