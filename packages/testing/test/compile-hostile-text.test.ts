/**
 * Hostile text at compile time: literals rendered inline (server defaults, Enum values,
 * CHECK constants, LIKE escapes) cannot be ended by what they hold, NUL is refused in
 * identifiers, labels and raw SQL (it delimits bind markers), and the `sql` tag takes only
 * real template calls.
 */
import { ArgumentError, CheckConstraint, Column, CreateTable, Enum, Index, Integer, MetaData, String as StringT, Table, literalColumn, select, sql, text } from '@athanor/core';
import { dialects, expectSQL } from './compile-helpers';

const one = (name: string, ...cols: [string, ReturnType<typeof Column>][]) => new Table(name, new MetaData(), Object.fromEntries(cols));

describe('literals rendered inline', () => {
  test('a server default ending in a backslash cannot swallow the next column (backslash doubled on MySQL, E-string on PostgreSQL)', () =>
    expectSQL(new CreateTable(one('t', ['a', Column(StringT(20), { serverDefault: "x\\" })], ['b', Column(StringT(40), { serverDefault: "', evil INTEGER DEFAULT 7, -- " })])), {
      generic: { sql: "CREATE TABLE t (\n\ta VARCHAR(20) DEFAULT 'x\\',\n\tb VARCHAR(40) DEFAULT ''', evil INTEGER DEFAULT 7, -- '\n)", params: {} },
      sqlite: { sql: "CREATE TABLE t (\n\ta VARCHAR(20) DEFAULT 'x\\',\n\tb VARCHAR(40) DEFAULT ''', evil INTEGER DEFAULT 7, -- '\n)", params: [] },
      postgresql: { sql: "CREATE TABLE t (\n\ta VARCHAR(20) DEFAULT E'x\\\\',\n\tb VARCHAR(40) DEFAULT ''', evil INTEGER DEFAULT 7, -- '\n)", params: [] },
      mysql: { sql: "CREATE TABLE t (\n\ta VARCHAR(20) DEFAULT 'x\\\\',\n\tb VARCHAR(40) DEFAULT ''', evil INTEGER DEFAULT 7, -- '\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", params: [] },
    }));

  test('Enum values on MySQL are escaped the same way', () =>
    expectSQL(new CreateTable(one('t', ['e', Column(Enum(["a\\", "b'"]))])), {
      generic: { sql: 'CREATE TABLE t (\n\te VARCHAR(2)\n)', params: {} },
      sqlite: { sql: 'CREATE TABLE t (\n\te VARCHAR(2)\n)', params: [] },
      postgresql: { sql: 'CREATE TABLE t (\n\te VARCHAR(2)\n)', params: [] },
      mysql: { sql: "CREATE TABLE t (\n\te ENUM('a\\\\', 'b''')\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", params: [] },
    }));

  test('a LIKE escape character of a backslash', () => {
    const t = one('t', ['a', Column(StringT(10))]);
    expectSQL(select(t.c.a).where(t.c.a.like('%\\_%', { escape: '\\' })), {
      generic: { sql: "SELECT t.a FROM t WHERE t.a LIKE :a_1 ESCAPE '\\'", params: { a_1: '%\\_%' } },
      sqlite: { sql: "SELECT t.a FROM t WHERE t.a LIKE ? ESCAPE '\\'", params: ['%\\_%'] },
      postgresql: { sql: "SELECT t.a FROM t WHERE t.a LIKE $1 ESCAPE E'\\\\'", params: ['%\\_%'] },
      mysql: { sql: "SELECT t.a FROM t WHERE t.a LIKE ? ESCAPE '\\\\'", params: ['%\\_%'] },
    });
  });

  test('NUL, NaN and objects have no literal: ArgumentError', () => {
    expect(() => new CreateTable(one('t', ['a', Column(StringT(5), { serverDefault: 'a\u0000b' })])).compile()).toThrow(ArgumentError);
    expect(() => new CreateTable(one('t', ['a', Column(Integer, { serverDefault: Number.NaN })])).compile()).toThrow(/only finite numbers/);
  });
});

describe('NUL in names and raw SQL', () => {
  const t = one('t', ['a', Column(StringT(10))], ['b', Column(Integer)]);
  test('a label, alias, table or column holding NUL is refused: it could otherwise forge a bind marker', () => {
    for (const stmt of [
      () => select(t.c.a.label('x\u00000\u0000')).where(t.c.b.eq(1)),
      () => select(t.alias('y\u0000').c.a).where(t.c.b.eq(1)),
      () => select(one('t\u0000', ['a', Column(Integer)]).c.a),
      () => select(one('t', ['a\u0000', Column(Integer)]).c['a\u0000']),
    ]) {
      expect(() => stmt().compile()).toThrow(ArgumentError);
      expect(() => stmt().compile()).toThrow(/contains a NUL character/);
    }
  });
  test('table, schema, column, index and constraint names holding NUL are refused where they are declared', () => {
    expect(() => one('t\u0000', ['a', Column(Integer)])).toThrow(/^The table name "t\\u0000" contains a NUL character/);
    expect(() => new Table('t', new MetaData({ schema: 's\u0000' }), { a: Column(Integer) })).toThrow(/schema name/);
    expect(() => one('t', ['a', Column(Integer, { name: 'a\u0000' })])).toThrow(/column name of 't\.a'/);
    expect(() => new Index('i\u0000', ['a'])).toThrow(/index name/);
    expect(() => new CheckConstraint('a > 0', { name: 'c\u0000' })).toThrow(/constraint name/);
  });
  test('raw SQL holding NUL is refused where it is made', () => {
    expect(() => text('SELECT 1 \u0000')).toThrow(ArgumentError);
    expect(() => literalColumn('a\u0000')).toThrow(ArgumentError);
    const bad = Object.assign(['SELECT \u00000\u0000 ', ''], { raw: ['SELECT \u00000\u0000 ', ''] });
    Object.freeze(bad.raw);
    Object.freeze(bad);
    expect(() => sql(bad as unknown as TemplateStringsArray, 1)).toThrow(/contains a NUL character/);
  });
});

describe('the sql tag takes only a template call', () => {
  test('a plain object, parsed JSON or a string is refused with ArgumentError naming text()', () => {
    for (const bad of [{ raw: ['DELETE FROM t'] }, JSON.parse('["DELETE FROM t"]'), 'DELETE FROM t', Object.assign(['x'], { raw: ['x'] })]) {
      expect(() => (sql as any)(bad)).toThrow(ArgumentError);
      expect(() => (sql as any)(bad)).toThrow(/sql is a template tag.*text\(\)/);
    }
  });
  test('a real template call still works', () => {
    const id = 5;
    expectSQL(select(sql`1 + ${id}`.as(Integer)), {
      generic: { sql: 'SELECT 1 + :param_1 AS anon_1', params: { param_1: 5 } },
      sqlite: { sql: 'SELECT 1 + ? AS anon_1', params: [5] },
      postgresql: { sql: 'SELECT 1 + $1 AS anon_1', params: [5] },
      mysql: { sql: 'SELECT 1 + ? AS anon_1', params: [5] },
    });
  });
});

describe('schema names', () => {
  test('a hostile schema name is quoted as one name on every dialect', () => {
    const t = new Table('t', new MetaData({ schema: 'a"b`c; DROP SCHEMA x --' }), { id: Column(Integer) });
    expectSQL(select(t.c.id), {
      generic: { sql: 'SELECT "a""b`c; DROP SCHEMA x --".t.id FROM "a""b`c; DROP SCHEMA x --".t', params: {} },
      sqlite: { sql: 'SELECT "a""b`c; DROP SCHEMA x --".t.id FROM "a""b`c; DROP SCHEMA x --".t', params: [] },
      postgresql: { sql: 'SELECT "a""b`c; DROP SCHEMA x --".t.id FROM "a""b`c; DROP SCHEMA x --".t', params: [] },
      mysql: { sql: 'SELECT `a"b``c; DROP SCHEMA x --`.t.id FROM `a"b``c; DROP SCHEMA x --`.t', params: [] },
    });
  });
});

describe('generated names within the identifier limit', () => {
  test('an unnamed alias of a table with a long name starts with at most 40 bytes of it', () => {
    // 60 bytes: a valid name on PostgreSQL, but with '_<n>' appended it would not be.
    const t = one('t'.repeat(60), ['id', Column(Integer)]);
    const a = t.alias();
    expect(a.name).toMatch(/^t{40}_\d+$/);
    const wide = one('é'.repeat(40), ['id', Column(Integer)]).alias();
    expect(wide.name).toMatch(/^é{20}_\d+$/);
    expect(() => select(a.c.id).compile(dialects.postgresql)).not.toThrow();
  });
});
