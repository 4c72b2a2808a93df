/**
 * pg sends parameters untyped: where nothing beside a bind gives it a type (`SELECT $1`,
 * `$1 + $2`), the compiler casts it to its type's PostgreSQL name. Elsewhere (`col = $1`,
 * VALUES, SET, LIMIT, IN) the server infers the type and the SQL stays cast-free.
 */
import {
  Column,
  Date as DateT,
  DateTime,
  type Engine,
  Integer,
  JSON as JSONT,
  MetaData,
  Numeric,
  String,
  Table,
  and,
  bindparam,
  case_,
  createEngine,
  func,
  insert,
  literal,
  select,
  text,
  union,
  unionAll,
  update,
} from '@athanor/core';
import { PostgresDialect } from '../src';
import { URL, liveDescribe } from './server';

const dialect = new PostgresDialect();
const sqlOf = (stmt: { compile(d: PostgresDialect, p?: Record<string, unknown>): { sql: string } }) => stmt.compile(dialect).sql;

const metadata = new MetaData();
const nums = new Table('bc_nums', metadata, {
  id: Column(Integer, { primaryKey: true }),
  n: Column(Integer),
  label: Column(String(3)),
});

/** The documented recursive CTE (apps/docs/core/expressions.md). */
function countToThree() {
  const base = select(literal(1, Integer).label('n')).cte('t', { recursive: true });
  const t = base.unionAll(select(base.c.n.add(1).label('n')).where(base.c.n.lt(3)));
  return select(t.c.n);
}

describe('bind casts (exact SQL)', () => {
  test('a bind in the column list, bare or labelled', () => {
    expect(sqlOf(select(literal(1, Integer)))).toBe('SELECT $1::INTEGER AS anon_1');
    expect(sqlOf(select(literal('x').label('s'), literal(true).label('b')))).toBe('SELECT $1::VARCHAR AS s, $2::BOOLEAN AS b');
  });

  test('the recursive CTE: the anchor is cast, the recursive member infers from t.n', () => {
    expect(sqlOf(countToThree())).toBe(
      'WITH RECURSIVE t(n) AS (SELECT $1::INTEGER AS n UNION ALL SELECT t.n + $2 AS n FROM t WHERE t.n < $3) SELECT t.n FROM t',
    );
  });

  test('compound members', () => {
    expect(sqlOf(union(select(literal(1, Integer).label('n')), select(nums.c.n)))).toBe('SELECT $1::INTEGER AS n UNION SELECT bc_nums.n FROM bc_nums');
  });

  test('bind op bind, at any depth; bind op typed expression is not cast', () => {
    expect(sqlOf(select(literal(1, Integer).add(1).label('v')))).toBe('SELECT $1::INTEGER + $2::INTEGER AS v');
    expect(sqlOf(select(bindparam('x', { type: Integer }).add(1).label('v')))).toBe('SELECT $1::INTEGER + $2::INTEGER AS v');
    // The inner sum is typed once cast: the outer bind infers from it.
    expect(sqlOf(select(literal(2, Integer).add(3).mul(4).label('v')))).toBe('SELECT ($1::INTEGER + $2::INTEGER) * $3 AS v');
    expect(sqlOf(select(literal('a').concat('b').label('v')))).toBe('SELECT $1::VARCHAR || $2::VARCHAR AS v');
    expect(sqlOf(select(nums.c.id).where(literal(1, Integer).lt(2)))).toBe('SELECT bc_nums.id FROM bc_nums WHERE $1::INTEGER < $2::INTEGER');
  });

  test('an untyped bindparam has no type to cast to; its typed partner is still cast', () => {
    expect(sqlOf(select(bindparam('a').label('a')))).toBe('SELECT $1 AS a');
    expect(sqlOf(select(bindparam('a').add(literal(1, Integer)).label('v')))).toBe('SELECT $1 + $2::INTEGER AS v');
  });

  test('length and precision are left out of the cast (an explicit cast would cut or round)', () => {
    expect(sqlOf(select(literal('abcdef', String(3)).label('s'), literal('1.23456', Numeric(5, 2)).label('d')))).toBe(
      'SELECT $1::VARCHAR AS s, $2::NUMERIC AS d',
    );
    expect(sqlOf(select(literal(new Date(0), DateTime).label('at'), literal({ a: 1 }, JSONT()).label('j')))).toBe(
      'SELECT $1::TIMESTAMP WITHOUT TIME ZONE AS at, $2::JSONB AS j',
    );
  });

  test('functions whose arguments are all binds, prefix operators, CASE results', () => {
    expect(sqlOf(select(func.coalesce(literal(null, Integer), 7).label('v')))).toBe('SELECT coalesce($1::INTEGER, $2::INTEGER) AS v');
    expect(sqlOf(select(func.coalesce(nums.c.n, 7).label('v')))).toBe('SELECT coalesce(bc_nums.n, $1) AS v FROM bc_nums');
    // One bind argument takes the function's parameter type.
    expect(sqlOf(select(func.upper('x').label('v')))).toBe('SELECT upper($1) AS v');
    expect(sqlOf(select(literal(5, Integer).neg().label('v')))).toBe('SELECT -$1::INTEGER AS v');
    expect(sqlOf(select(nums.c.id).where(case_([[nums.c.n.gt(1), true]], { else: false })))).toBe(
      'SELECT bc_nums.id FROM bc_nums WHERE CASE WHEN bc_nums.n > $1 THEN $2::BOOLEAN ELSE $3::BOOLEAN END',
    );
    expect(sqlOf(select(case_([[nums.c.n.gt(1), nums.c.n]], { else: 0 }).label('v')))).toBe(
      'SELECT CASE WHEN bc_nums.n > $1 THEN bc_nums.n ELSE $2 END AS v FROM bc_nums',
    );
  });

  test('no cast where PostgreSQL infers the type: comparisons, IN, VALUES, SET, LIMIT/OFFSET', () => {
    expect(sqlOf(select(nums.c.id).where(nums.c.n.eq(5), nums.c.label.in(['a', 'b'])).limit(3).offset(1))).toBe(
      'SELECT bc_nums.id FROM bc_nums WHERE bc_nums.n = $1 AND bc_nums.label IN ($2, $3) LIMIT $4 OFFSET $5',
    );
    expect(sqlOf(insert(nums).values({ id: 1, n: 2, label: 'x' }).returning(nums.c.id))).toBe(
      'INSERT INTO bc_nums (id, n, label) VALUES ($1, $2, $3) RETURNING bc_nums.id',
    );
    expect(sqlOf(update(nums).values({ n: nums.c.n.add(1), label: 'y' }).where(nums.c.id.eq(1)))).toBe(
      'UPDATE bc_nums SET n = bc_nums.n + $1, label = $2 WHERE bc_nums.id = $3',
    );
    expect(sqlOf(select(nums.c.n.add(1).label('v')))).toBe('SELECT bc_nums.n + $1 AS v FROM bc_nums');
  });

  test('a cast bind keeps its value and processing', () => {
    const at = new Date('2024-02-29T23:59:58.123Z');
    expect(select(literal(at, DateTime).label('at')).compile(dialect).params).toEqual(['2024-02-29 23:59:58.123']);
  });
});

const d = liveDescribe('bind cast tests');

d('bind casts (live PostgreSQL)', () => {
  let engine: Engine;
  const all = (stmt: any, params?: Record<string, unknown>) => engine.connect(async (c) => (await c.execute(stmt, params)).all());

  beforeAll(async () => {
    engine = createEngine(URL);
    await metadata.dropAll(engine);
    await metadata.createAll(engine);
    await engine.begin((c) => c.execute(insert(nums), [{ id: 1, n: 10, label: 'a' }, { id: 2, n: 20, label: 'b' }]));
  });

  afterAll(async () => {
    try {
      await metadata.dropAll(engine);
    } finally {
      await engine.dispose();
    }
  });

  test('the documented recursive CTE counts to 3', async () => {
    expect(await all(countToThree())).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  test('literal arithmetic and bindparam arithmetic', async () => {
    expect(await all(select(literal(1, Integer).add(1).label('v')))).toEqual([{ v: 2 }]);
    expect(await all(select(literal(2, Integer).add(3).mul(4).label('v')))).toEqual([{ v: 20 }]);
    expect(await all(select(bindparam('x', { type: Integer }).add(1).label('v')), { x: 41 })).toEqual([{ v: 42 }]);
    expect(await all(select(literal('ab').concat('cd').label('v')))).toEqual([{ v: 'abcd' }]);
    expect(await all(select(literal(5, Integer).neg().label('v')))).toEqual([{ v: -5 }]);
  });

  test('comparing two binds compares numbers, not text', async () => {
    // As text '10' < '9'; as integers it is false.
    expect(await all(select(nums.c.id).where(and(literal(10, Integer).lt(9), nums.c.id.eq(1))))).toEqual([]);
    expect(await all(select(nums.c.id).where(literal(9, Integer).lt(10)).orderBy(nums.c.id))).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test('a typed literal in a union with a table column, and in a union of literals', async () => {
    const withColumn = union(select(literal(5, Integer).label('n')), select(nums.c.n)).orderBy('n');
    expect(await all(withColumn)).toEqual([{ n: 5 }, { n: 10 }, { n: 20 }]);
    const literals = unionAll(select(literal(1, Integer).label('n')), select(literal(2, Integer).label('n'))).orderBy('n');
    expect(await all(literals)).toEqual([{ n: 1 }, { n: 2 }]);
    // The database's own typing of the column: integer, not text.
    const sub = select(literal(1, Integer).label('n')).subquery('sub');
    expect(await all(select(func.pg_typeof(sub.c.n).label('t')))).toEqual([{ t: 'integer' }]);
  });

  test('values come back whole and typed: no length cut, no rounding, Date, JSON', async () => {
    const at = new Date('2024-02-29T23:59:58.123Z');
    const rows = await all(
      select(
        literal('abcdef', String(3)).label('s'),
        literal('1.23456', Numeric(5, 2)).label('d'),
        literal(at, DateTime).label('at'),
        literal('2024-02-29', DateT).label('day'),
        literal({ a: [1, 'x'] }, JSONT()).label('j'),
        literal(true).label('b'),
      ),
    );
    expect(rows).toEqual([{ s: 'abcdef', d: '1.23456', at, day: '2024-02-29', j: { a: [1, 'x'] }, b: true }]);
  });

  test('a bind selected by a scalar subquery compares as its type', async () => {
    const ten = select(literal(10, Integer)).scalarSubquery();
    expect(sqlOf(select(nums.c.id).where(nums.c.n.eq(ten)))).toBe('SELECT bc_nums.id FROM bc_nums WHERE bc_nums.n = (SELECT $1::INTEGER AS anon_1)');
    expect(await all(select(nums.c.id).where(nums.c.n.eq(ten)))).toEqual([{ id: 1 }]);
  });

  test('coalesce of binds, CASE of binds in WHERE', async () => {
    expect(await all(select(func.coalesce(literal(null, Integer), 7).add(1).label('v')))).toEqual([{ v: 8 }]);
    const big = case_([[nums.c.n.gt(15), true]], { else: false });
    expect(await all(select(nums.c.id).where(big))).toEqual([{ id: 2 }]);
  });

  test('the inferred positions still run as before', async () => {
    await engine.begin(async (c) => {
      await c.execute(update(nums).values({ n: nums.c.n.add(1) }).where(nums.c.id.eq(1)));
      const rows = (await c.execute(select(nums.c.id, nums.c.n).where(nums.c.label.in(['a', 'b'])).orderBy(nums.c.id).limit(1))).all();
      expect(rows).toEqual([{ id: 1, n: 11 }]);
      await c.execute(text('SELECT 1'));
    });
  });
});
