/** CAST per dialect, typeCoerce, literals of each type, text() and the sql tag, bindparam reuse. */
import {
  BigInteger,
  Boolean as BooleanT,
  Date as DateT,
  DateTime,
  Float,
  Integer,
  JSON as JSONT,
  Numeric,
  String,
  Text,
  bindparam,
  cast,
  literal,
  literalColumn,
  select,
  sql,
  text,
  typeCoerce,
} from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users } = schema();

describe('cast', () => {
  test('to integer', () =>
    expectSQL(select(cast(users.c.name, Integer).label('c')), {
      generic: { sql: 'SELECT CAST(users.name AS INTEGER) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.name AS INTEGER) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.name AS INTEGER) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.name AS SIGNED) AS c FROM users', params: [] },
    }));
  test('to bigint', () =>
    expectSQL(select(cast(users.c.age, BigInteger).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS BIGINT) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS INTEGER) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS BIGINT) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS SIGNED) AS c FROM users', params: [] },
    }));
  test('to varchar(n)', () =>
    expectSQL(select(cast(users.c.age, String(10)).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS VARCHAR(10)) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS TEXT) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS VARCHAR(10)) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS CHAR(10)) AS c FROM users', params: [] },
    }));
  test('to unbounded string', () =>
    expectSQL(select(cast(users.c.age, String()).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS VARCHAR) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS TEXT) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS VARCHAR) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS CHAR) AS c FROM users', params: [] },
    }));
  test('to text', () =>
    expectSQL(select(cast(users.c.age, Text).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS TEXT) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS TEXT) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS TEXT) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS CHAR) AS c FROM users', params: [] },
    }));
  test('to numeric', () =>
    expectSQL(select(cast(users.c.age, Numeric(10, 2)).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS NUMERIC(10, 2)) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS NUMERIC) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS NUMERIC(10, 2)) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS DECIMAL(10, 2)) AS c FROM users', params: [] },
    }));
  test('to float', () =>
    expectSQL(select(cast(users.c.age, Float).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS FLOAT) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS REAL) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS DOUBLE PRECISION) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS DOUBLE) AS c FROM users', params: [] },
    }));
  test('to date', () =>
    expectSQL(select(cast(users.c.name, DateT).label('c')), {
      generic: { sql: 'SELECT CAST(users.name AS DATE) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.name AS TEXT) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.name AS DATE) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.name AS DATE) AS c FROM users', params: [] },
    }));
  test('to datetime', () =>
    expectSQL(select(cast(users.c.name, DateTime).label('c')), {
      generic: { sql: 'SELECT CAST(users.name AS TIMESTAMP) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.name AS TEXT) AS c FROM users', params: [] },
      postgresql: {
        sql: 'SELECT CAST(users.name AS TIMESTAMP WITHOUT TIME ZONE) AS c FROM users',
        params: [],
      },
      mysql: { sql: 'SELECT CAST(users.name AS DATETIME(6)) AS c FROM users', params: [] },
    }));
  test('to boolean', () =>
    expectSQL(select(cast(users.c.age, BooleanT).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS BOOLEAN) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS INTEGER) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS BOOLEAN) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS SIGNED) AS c FROM users', params: [] },
    }));
  test('to json', () =>
    expectSQL(select(cast(users.c.name, JSONT).label('c')), {
      generic: { sql: 'SELECT CAST(users.name AS JSON) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.name AS TEXT) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.name AS JSONB) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.name AS JSON) AS c FROM users', params: [] },
    }));
  test('method form', () =>
    expectSQL(select(users.c.age.cast(String(5)).label('c')), {
      generic: { sql: 'SELECT CAST(users.age AS VARCHAR(5)) AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT CAST(users.age AS TEXT) AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT CAST(users.age AS VARCHAR(5)) AS c FROM users', params: [] },
      mysql: { sql: 'SELECT CAST(users.age AS CHAR(5)) AS c FROM users', params: [] },
    }));
  test('cast of a bound value', () =>
    expectSQL(select(cast(literal('5'), Integer).label('c')), {
      generic: { sql: 'SELECT CAST(:param_1 AS INTEGER) AS c', params: { param_1: '5' } },
      sqlite: { sql: 'SELECT CAST(? AS INTEGER) AS c', params: ['5'] },
      postgresql: { sql: 'SELECT CAST($1 AS INTEGER) AS c', params: ['5'] },
      mysql: { sql: 'SELECT CAST(? AS SIGNED) AS c', params: ['5'] },
    }));
  test('cast in WHERE', () =>
    expectSQL(select(users.c.id).where(cast(users.c.name, Integer).gt(3)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE CAST(users.name AS INTEGER) > :name_1',
        params: { name_1: 3 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE CAST(users.name AS INTEGER) > ?', params: [3] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE CAST(users.name AS INTEGER) > $1', params: [3] },
      mysql: { sql: 'SELECT users.id FROM users WHERE CAST(users.name AS SIGNED) > ?', params: [3] },
    }));
  test('typeCoerce renders no cast', () =>
    expectSQL(select(typeCoerce(users.c.name, Integer).label('c')), {
      generic: { sql: 'SELECT users.name AS c FROM users', params: {} },
      sqlite: { sql: 'SELECT users.name AS c FROM users', params: [] },
      postgresql: { sql: 'SELECT users.name AS c FROM users', params: [] },
      mysql: { sql: 'SELECT users.name AS c FROM users', params: [] },
    }));
});

describe('literals', () => {
  test('boolean literal', () =>
    expectSQL(select(literal(true).label('b')), {
      generic: { sql: 'SELECT :param_1 AS b', params: { param_1: true } },
      sqlite: { sql: 'SELECT ? AS b', params: [1] },
      postgresql: { sql: 'SELECT $1::BOOLEAN AS b', params: [true] },
      mysql: { sql: 'SELECT ? AS b', params: [1] },
    }));
  test('null literal', () =>
    expectSQL(select(users.c.id).where(users.c.age.eq(literal(null) as never)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age = :param_1', params: { param_1: null } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age = ?', params: [null] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age = $1', params: [null] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age = ?', params: [null] },
    }));
  test('literal column', () =>
    expectSQL(select(literalColumn('1').label('one')), {
      generic: { sql: 'SELECT 1 AS one', params: {} },
      sqlite: { sql: 'SELECT 1 AS one', params: [] },
      postgresql: { sql: 'SELECT 1 AS one', params: [] },
      mysql: { sql: 'SELECT 1 AS one', params: [] },
    }));
});

describe('text and the sql tag', () => {
  test('text with named binds', () =>
    expectSQL(text('SELECT * FROM users WHERE id = :id AND name = :name').bindparams({ id: 1, name: 'x' }), {
      generic: { sql: 'SELECT * FROM users WHERE id = :id AND name = :name', params: { id: 1, name: 'x' } },
      sqlite: { sql: 'SELECT * FROM users WHERE id = ? AND name = ?', params: [1, 'x'] },
      postgresql: { sql: 'SELECT * FROM users WHERE id = $1 AND name = $2', params: [1, 'x'] },
      mysql: { sql: 'SELECT * FROM users WHERE id = ? AND name = ?', params: [1, 'x'] },
    }));
  test('text with a bind used twice', () =>
    expectSQL(text('SELECT :v AS a, :v AS b').bindparams({ v: 3 }), {
      generic: { sql: 'SELECT :v AS a, :v AS b', params: { v: 3 } },
      sqlite: { sql: 'SELECT ? AS a, ? AS b', params: [3, 3] },
      postgresql: { sql: 'SELECT $1 AS a, $2 AS b', params: [3, 3] },
      mysql: { sql: 'SELECT ? AS a, ? AS b', params: [3, 3] },
    }));
  test('text without binds', () =>
    expectSQL(text('SELECT 1'), {
      generic: { sql: 'SELECT 1', params: {} },
      sqlite: { sql: 'SELECT 1', params: [] },
      postgresql: { sql: 'SELECT 1', params: [] },
      mysql: { sql: 'SELECT 1', params: [] },
    }));
  test('text with escaped colon', () =>
    expectSQL(text("SELECT '10\\:30' AS t"), {
      generic: { sql: "SELECT '10:30' AS t", params: {} },
      sqlite: { sql: "SELECT '10:30' AS t", params: [] },
      postgresql: { sql: "SELECT '10:30' AS t", params: [] },
      mysql: { sql: "SELECT '10:30' AS t", params: [] },
    }));
  test('text binds given at compile', () =>
    expectSQL(
      text('SELECT * FROM users WHERE id = :id'),
      {
        generic: { sql: 'SELECT * FROM users WHERE id = :id', params: { id: 9 } },
        sqlite: { sql: 'SELECT * FROM users WHERE id = ?', params: [9] },
        postgresql: { sql: 'SELECT * FROM users WHERE id = $1', params: [9] },
        mysql: { sql: 'SELECT * FROM users WHERE id = ?', params: [9] },
      },
      { id: 9 },
    ));
  test('sql tag with values', () =>
    expectSQL(select(sql`${users.c.age} + ${2}`.as(Integer).label('s')), {
      generic: { sql: 'SELECT users.age + :param_1 AS s FROM users', params: { param_1: 2 } },
      sqlite: { sql: 'SELECT users.age + ? AS s FROM users', params: [2] },
      postgresql: { sql: 'SELECT users.age + $1 AS s FROM users', params: [2] },
      mysql: { sql: 'SELECT users.age + ? AS s FROM users', params: [2] },
    }));
  test('sql tag with a column', () =>
    expectSQL(select(sql`upper(${users.c.name})`.as(String()).label('u')), {
      generic: { sql: 'SELECT upper(users.name) AS u FROM users', params: {} },
      sqlite: { sql: 'SELECT upper(users.name) AS u FROM users', params: [] },
      postgresql: { sql: 'SELECT upper(users.name) AS u FROM users', params: [] },
      mysql: { sql: 'SELECT upper(users.name) AS u FROM users', params: [] },
    }));
  test('sql tag in WHERE', () =>
    expectSQL(select(users.c.id).where(sql`${users.c.age} > ${5}`.as(BooleanT)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age > :param_1', params: { param_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age > ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age > $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age > ?', params: [5] },
    }));
});

describe('bindparam', () => {
  test('named bindparam', () =>
    expectSQL(
      select(users.c.id).where(users.c.id.eq(bindparam('uid'))),
      {
        generic: { sql: 'SELECT users.id FROM users WHERE users.id = :uid', params: { uid: 3 } },
        sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [3] },
        postgresql: { sql: 'SELECT users.id FROM users WHERE users.id = $1', params: [3] },
        mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [3] },
      },
      { uid: 3 },
    ));
  test('bindparam reused twice', () => {
    const p = bindparam<number>('v');
    return expectSQL(
      select(users.c.id).where(users.c.id.eq(p), users.c.age.gt(p)),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE users.id = :v AND users.age > :v',
          params: { v: 4 },
        },
        sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age > ?', params: [4, 4] },
        postgresql: {
          sql: 'SELECT users.id FROM users WHERE users.id = $1 AND users.age > $2',
          params: [4, 4],
        },
        mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age > ?', params: [4, 4] },
      },
      { v: 4 },
    );
  });
  test('bindparam with default value', () =>
    expectSQL(select(users.c.id).where(users.c.id.eq(bindparam('uid', { value: 8 }))), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.id = :uid', params: { uid: 8 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [8] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id = $1', params: [8] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [8] },
    }));
  test('two named bindparams', () =>
    expectSQL(
      select(users.c.id).where(users.c.id.ge(bindparam('lo')), users.c.id.le(bindparam('hi'))),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE users.id >= :lo AND users.id <= :hi',
          params: { lo: 1, hi: 9 },
        },
        sqlite: { sql: 'SELECT users.id FROM users WHERE users.id >= ? AND users.id <= ?', params: [1, 9] },
        postgresql: {
          sql: 'SELECT users.id FROM users WHERE users.id >= $1 AND users.id <= $2',
          params: [1, 9],
        },
        mysql: { sql: 'SELECT users.id FROM users WHERE users.id >= ? AND users.id <= ?', params: [1, 9] },
      },
      { lo: 1, hi: 9 },
    ));
});
