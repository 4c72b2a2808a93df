import {
  BigInteger,
  Boolean,
  CheckConstraint,
  Column,
  CreateTable,
  DateTime,
  ForeignKey,
  Integer,
  JSON,
  MetaData,
  Numeric,
  String,
  Table,
  Text,
  UnsupportedCompilationError,
  Uuid,
  and,
  delete_,
  desc,
  func,
  insert,
  literal,
  select,
  text,
  update,
} from '@athanor/core';
import { SQLiteDialect, excluded, onConflictDoNothing, onConflictDoUpdate } from '../src';

const dialect = new SQLiteDialect();
const metadata = new MetaData();
const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  age: Column(Integer),
  active: Column(Boolean, { serverDefault: true }),
});
const addresses = new Table('addresses', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
  email: Column(String(100), { nullable: false, unique: true }),
});
const items = new Table(
  'items',
  metadata,
  {
    id: Column(BigInteger, { primaryKey: true, autoincrement: true }),
    price: Column(Numeric(10, 2), { nullable: false, serverDefault: '0' }),
    data: Column(JSON),
    uid: Column(Uuid),
    created: Column(DateTime, { serverDefault: text('CURRENT_TIMESTAMP') }),
    note: Column(Text),
  },
  new CheckConstraint('price >= 0', { name: 'ck_price' }),
);
const pair = new Table('pair', metadata, {
  a: Column(Integer, { primaryKey: true }),
  b: Column(Integer, { primaryKey: true }),
});

describe('SELECT', () => {
  test('contract query with join/where/group/order', () => {
    const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
      .join(addresses, users.c.id.eq(addresses.c.userId))
      .where(and(users.c.age.gt(20), users.c.name.like('s%')))
      .groupBy(users.c.name)
      .orderBy(desc('n'));
    expect(stmt.compile(dialect)).toEqual({
      sql: 'SELECT users.name, count(addresses.id) AS n FROM users JOIN addresses ON users.id = addresses.user_id WHERE users.age > ? AND users.name LIKE ? GROUP BY users.name ORDER BY n DESC',
      params: [20, 's%'],
    });
  });

  test('limit and offset', () => {
    expect(select(users.c.id).limit(10).offset(5).compile(dialect)).toEqual({ sql: 'SELECT users.id FROM users LIMIT ? OFFSET ?', params: [10, 5] });
    expect(select(users.c.id).limit(3).compile(dialect)).toEqual({ sql: 'SELECT users.id FROM users LIMIT ?', params: [3] });
  });

  test('offset alone is LIMIT -1 OFFSET n', () => {
    expect(select(users.c.id).offset(5).compile(dialect)).toEqual({ sql: 'SELECT users.id FROM users LIMIT -1 OFFSET ?', params: [5] });
  });

  test('ilike is lower() LIKE lower()', () => {
    expect(select(users.c.id).where(users.c.name.ilike('%Bob%')).compile(dialect)).toEqual({
      sql: 'SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?)',
      params: ['%Bob%'],
    });
  });

  test('concat', () => {
    expect(select(users.c.name.concat('!').label('x')).compile(dialect)).toEqual({ sql: 'SELECT users.name || ? AS x FROM users', params: ['!'] });
  });

  test('in and empty in', () => {
    expect(select(users.c.id).where(users.c.id.in([1, 2, 3])).compile(dialect)).toEqual({
      sql: 'SELECT users.id FROM users WHERE users.id IN (?, ?, ?)',
      params: [1, 2, 3],
    });
    expect(select(users.c.id).where(users.c.id.in([])).compile(dialect)).toEqual({ sql: 'SELECT users.id FROM users WHERE 1 <> 1', params: [] });
  });

  test('booleans bind as 1/0 and render as 1/0', () => {
    expect(select(users.c.id).where(users.c.active.eq(true)).compile(dialect)).toEqual({
      sql: 'SELECT users.id FROM users WHERE users.active = ?',
      params: [1],
    });
    expect(select(literal(true, Boolean).label('t')).compile(dialect).params).toEqual([1]);
  });

  test('FOR UPDATE renders as nothing; now() is CURRENT_TIMESTAMP', () => {
    expect(select(users.c.id).forUpdate().compile(dialect)).toEqual({ sql: 'SELECT users.id FROM users', params: [] });
    expect(select(func.now().label('t')).compile(dialect)).toEqual({ sql: 'SELECT CURRENT_TIMESTAMP AS t', params: [] });
  });

  test('FULL OUTER JOIN refused before 3.39', () => {
    const old = new SQLiteDialect();
    old.setServerVersion([3, 31, 1]);
    const stmt = select(users.c.id).fullJoin(addresses, users.c.id.eq(addresses.c.userId));
    expect(stmt.compile(dialect).sql).toBe('SELECT users.id FROM users FULL OUTER JOIN addresses ON users.id = addresses.user_id');
    expect(() => stmt.compile(old)).toThrow(/FULL OUTER JOIN is not supported by the 'sqlite' dialect/);
  });
});

describe('INSERT / UPDATE / DELETE', () => {
  test('single row', () => {
    expect(insert(users).values({ name: 'a', age: 3 }).compile(dialect)).toEqual({ sql: 'INSERT INTO users (name, age) VALUES (?, ?)', params: ['a', 3] });
  });

  test('multi-row', () => {
    expect(
      insert(users)
        .values([
          { name: 'a', age: 1 },
          { name: 'b', age: 2 },
        ])
        .compile(dialect),
    ).toEqual({ sql: 'INSERT INTO users (name, age) VALUES (?, ?), (?, ?)', params: ['a', 1, 'b', 2] });
  });

  test('returning from 3.35, clear error before', () => {
    const stmt = insert(users).values({ name: 'a' }).returning(users.c.id);
    expect(stmt.compile(dialect)).toEqual({ sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id', params: ['a'] });
    const old = new SQLiteDialect();
    old.setServerVersion([3, 34, 0]);
    expect(() => stmt.compile(old)).toThrow(UnsupportedCompilationError);
    expect(() => stmt.compile(old)).toThrow(/RETURNING is not supported by sqlite 3\.34\.0/);
  });

  test('update and delete', () => {
    expect(update(users).values({ age: 31 }).where(users.c.name.eq('x')).compile(dialect)).toEqual({
      sql: 'UPDATE users SET age = ? WHERE users.name = ?',
      params: [31, 'x'],
    });
    expect(delete_(users).where(users.c.id.eq(1)).compile(dialect)).toEqual({ sql: 'DELETE FROM users WHERE users.id = ?', params: [1] });
  });

  test('onConflictDoNothing', () => {
    const stmt = onConflictDoNothing(insert(users).values({ id: 1, name: 'a' }), { target: ['id'] });
    expect(stmt.compile(dialect)).toEqual({ sql: 'INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', params: [1, 'a'] });
    expect(onConflictDoNothing(insert(users).values({ name: 'a' })).compile(dialect).sql).toBe('INSERT INTO users (name) VALUES (?) ON CONFLICT DO NOTHING');
  });

  test('onConflictDoUpdate with excluded, value and where', () => {
    const stmt = onConflictDoUpdate(insert(users).values({ id: 1, name: 'a', age: 5 }), {
      target: ['id'],
      set: { name: excluded('name'), age: 9 },
      where: users.c.age.lt(100),
    });
    expect(stmt.compile(dialect)).toEqual({
      sql: 'INSERT INTO users (id, name, age) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, age = ? WHERE users.age < ?',
      params: [1, 'a', 5, 9, 100],
    });
  });

  test('onConflict is refused by other dialects with a clear error', () => {
    const stmt = onConflictDoNothing(insert(users).values({ name: 'a' }));
    expect(() => stmt.compile()).toThrow(/specific to sqlite/);
  });
});

describe('DDL', () => {
  test('INTEGER PRIMARY KEY inline, fk, unique, defaults', () => {
    expect(new CreateTable(users).compile(dialect).sql).toBe(
      'CREATE TABLE users (\n\tid INTEGER NOT NULL PRIMARY KEY,\n\tname VARCHAR(50) NOT NULL,\n\tage INTEGER,\n\tactive BOOLEAN DEFAULT 1\n)',
    );
    expect(new CreateTable(addresses).compile(dialect).sql).toBe(
      'CREATE TABLE addresses (\n\tid INTEGER NOT NULL PRIMARY KEY,\n\tuser_id INTEGER NOT NULL,\n\temail VARCHAR(100) NOT NULL,\n\tUNIQUE (email),\n\tFOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE\n)',
    );
  });

  test('explicit autoincrement BigInteger key, types, check, server defaults', () => {
    expect(new CreateTable(items).compile(dialect).sql).toBe(
      "CREATE TABLE items (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n\tprice NUMERIC(10, 2) DEFAULT '0' NOT NULL,\n\tdata JSON,\n\tuid CHAR(32),\n\tcreated DATETIME DEFAULT CURRENT_TIMESTAMP,\n\tnote TEXT,\n\tCONSTRAINT ck_price CHECK (price >= 0)\n)",
    );
  });

  test('composite primary key stays a table constraint', () => {
    expect(new CreateTable(pair).compile(dialect).sql).toBe('CREATE TABLE pair (\n\ta INTEGER NOT NULL,\n\tb INTEGER NOT NULL,\n\tPRIMARY KEY (a, b)\n)');
  });

  test('a useAlter foreign key is written inline: SQLite cannot ALTER TABLE ... ADD CONSTRAINT', () => {
    const m = new MetaData();
    const person = new Table('person', m, { id: Column(Integer, { primaryKey: true }), gadgetId: Column(Integer, ForeignKey('gadget.id', { useAlter: true }), { name: 'gadget_id' }) });
    new Table('gadget', m, { id: Column(Integer, { primaryKey: true }), personId: Column(Integer, ForeignKey('person.id'), { name: 'person_id' }) });
    expect(new CreateTable(person).compile(dialect).sql).toBe(
      'CREATE TABLE person (\n\tid INTEGER NOT NULL PRIMARY KEY,\n\tgadget_id INTEGER,\n\tFOREIGN KEY (gadget_id) REFERENCES gadget (id)\n)',
    );
  });
});
