import { type CompiledSQL, type EntityDescriptor, joinTarget, selectEntity, and, bindparam, case_, cast, desc, exists, func, Integer, literal, literalColumn, not, or, select, sql, String, text, tuple_, union, unionAll } from '@athanor/core';
import { schema } from './fixtures';

const { users, addresses, orders } = schema();
const c = (s: { compile(): CompiledSQL }) => s.compile() as { sql: string; params: any };

describe('select: columns and FROM', () => {
  test('columns imply the FROM list', () => {
    expect(c(select(users.c.id, users.c.name))).toEqual({ sql: 'SELECT users.id, users.name FROM users', params: {} });
  });
  test('a table selects all its columns', () => {
    expect(c(select(users))).toEqual({ sql: 'SELECT users.id, users.name, users.age, users.active FROM users', params: {} });
  });
  test('a column whose key differs from its SQL name is labelled with the key', () => {
    expect(c(select(addresses.c.userId))).toEqual({ sql: 'SELECT addresses.user_id AS "userId" FROM addresses', params: {} });
  });
  test('labels', () => {
    expect(c(select(users.c.name.label('n')))).toEqual({ sql: 'SELECT users.name AS n FROM users', params: {} });
  });
  test('duplicate result keys are an error naming the fix', () => {
    expect(() => select(users.c.id, addresses.c.id).resultColumns()).toThrow(/Ambiguous duplicate result key 'id'.*label/);
  });
  test('distinct, limit, offset', () => {
    expect(c(select(users.c.name).distinct().limit(10).offset(20))).toEqual({
      sql: 'SELECT DISTINCT users.name FROM users LIMIT :param_1 OFFSET :param_2',
      params: { param_1: 10, param_2: 20 },
    });
  });
  test('selectFrom adds explicit FROM items', () => {
    expect(c(select(literal(1).label('one')).selectFrom(users))).toEqual({ sql: 'SELECT :param_1 AS one FROM users', params: { param_1: 1 } });
  });
});

describe('select: WHERE operators', () => {
  const w = (e: any) => c(select(users.c.id).where(e));
  test('comparisons bind values', () => {
    expect(w(users.c.age.gt(20))).toEqual({ sql: 'SELECT users.id FROM users WHERE users.age > :age_1', params: { age_1: 20 } });
    expect(w(users.c.age.le(5)).sql).toBe('SELECT users.id FROM users WHERE users.age <= :age_1');
    expect(w(users.c.name.ne('x')).sql).toBe('SELECT users.id FROM users WHERE users.name <> :name_1');
  });
  test('eq(null) is IS NULL; ne(null) is IS NOT NULL', () => {
    expect(w(users.c.age.eq(null)).sql).toBe('SELECT users.id FROM users WHERE users.age IS NULL');
    expect(w(users.c.age.ne(null)).sql).toBe('SELECT users.id FROM users WHERE users.age IS NOT NULL');
    expect(w(users.c.age.isNull()).sql).toBe('SELECT users.id FROM users WHERE users.age IS NULL');
  });
  test('and/or nest with parentheses only where needed', () => {
    expect(w(and(users.c.age.gt(1), or(users.c.name.eq('a'), users.c.name.eq('b')))).sql).toBe(
      'SELECT users.id FROM users WHERE users.age > :age_1 AND (users.name = :name_1 OR users.name = :name_2)',
    );
    expect(w(or(and(users.c.age.gt(1), users.c.age.lt(9)), users.c.name.eq('b'))).sql).toBe(
      'SELECT users.id FROM users WHERE users.age > :age_1 AND users.age < :age_2 OR users.name = :name_1',
    );
  });
  test('not() inverts comparisons', () => {
    expect(w(not(users.c.age.eq(3))).sql).toBe('SELECT users.id FROM users WHERE users.age <> :age_1');
    expect(w(not(and(users.c.age.eq(3), users.c.name.eq('x')))).sql).toBe('SELECT users.id FROM users WHERE NOT (users.age = :age_1 AND users.name = :name_1)');
  });
  test('in() is one expanding parameter; an empty list is a false predicate', () => {
    expect(w(users.c.id.in([1, 2, 3]))).toEqual({ sql: 'SELECT users.id FROM users WHERE users.id IN (:id_1_0, :id_1_1, :id_1_2)', params: { id_1_0: 1, id_1_1: 2, id_1_2: 3 } });
    expect(w(users.c.id.in([]))).toEqual({ sql: 'SELECT users.id FROM users WHERE 1 <> 1', params: {} });
    expect(w(users.c.id.notIn([])).sql).toBe('SELECT users.id FROM users WHERE 1 = 1');
  });
  test('in() a subquery', () => {
    expect(w(users.c.id.in(select(addresses.c.userId))).sql).toBe('SELECT users.id FROM users WHERE users.id IN (SELECT addresses.user_id AS "userId" FROM addresses)');
  });
  test('like, ilike with escape; contains escapes wildcards', () => {
    expect(w(users.c.name.like('a%', { escape: '!' })).sql).toBe("SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '!'");
    expect(w(users.c.name.ilike('a%')).sql).toBe('SELECT users.id FROM users WHERE users.name ILIKE :name_1');
    expect(w(users.c.name.contains('50%_off'))).toEqual({ sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '/'", params: { name_1: '%50/%/_off%' } });
    expect(w(users.c.name.startsWith('ab')).params).toEqual({ name_1: 'ab%' });
    expect(w(users.c.name.endsWith('ab')).params).toEqual({ name_1: '%ab' });
  });
  test('between and arithmetic with grouping', () => {
    expect(w(users.c.age.between(1, 5)).sql).toBe('SELECT users.id FROM users WHERE users.age BETWEEN :age_1 AND :age_2');
    expect(w(users.c.age.add(1).mul(2).gt(10)).sql).toBe('SELECT users.id FROM users WHERE (users.age + :age_1) * :param_1 > :param_2');
    expect(w(users.c.age.sub(users.c.age.sub(1)).eq(1)).sql).toBe('SELECT users.id FROM users WHERE users.age - (users.age - :age_1) = :param_1');
  });
  test('concat and custom operators', () => {
    expect(c(select(users.c.name.concat('!').label('x'))).sql).toBe('SELECT users.name || :name_1 AS x FROM users');
    expect(w(orders.c.data.op('@>')({ tags: ['a'] })).sql).toBe('SELECT users.id FROM users, orders WHERE orders.data @> :data_1');
  });
  test('tuple comparisons', () => {
    expect(w(tuple_(users.c.id, users.c.age).in([[1, 2], [3, 4]])).sql).toBe(
      'SELECT users.id FROM users WHERE (users.id, users.age) IN ((:param_1_0, :param_1_1), (:param_1_2, :param_1_3))',
    );
  });
});

describe('select: joins, grouping, ordering', () => {
  test('the contract query', () => {
    const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
      .join(addresses, users.c.id.eq(addresses.c.userId))
      .where(and(users.c.age.gt(20), users.c.name.like('s%')))
      .groupBy(users.c.name)
      .orderBy(desc('n'));
    expect(stmt.compile()).toEqual({
      sql: 'SELECT users.name, count(addresses.id) AS n FROM users JOIN addresses ON users.id = addresses.user_id WHERE users.age > :age_1 AND users.name LIKE :name_1 GROUP BY users.name ORDER BY n DESC',
      params: { age_1: 20, name_1: 's%' },
    });
    expect(`${stmt}`).toBe(stmt.compile().sql);
  });
  test('the ON clause is inferred from the foreign key', () => {
    expect(c(select(users.c.name, addresses.c.email).join(addresses)).sql).toBe(
      'SELECT users.name, addresses.email FROM users JOIN addresses ON addresses.user_id = users.id',
    );
  });
  test('a join without an inferable ON clause is an error naming the fix', () => {
    expect(() => select(addresses.c.email).selectFrom(addresses).join(orders)).toThrow(/Can't find any foreign key relationships between 'addresses' and 'orders'/);
  });
  test('outer and full joins, aliases', () => {
    const u2 = users.alias('u2');
    expect(c(select(users.c.id, u2.c.id.label('other')).outerJoin(u2, users.c.id.eq(u2.c.id))).sql).toBe(
      'SELECT users.id, u2.id AS other FROM users LEFT OUTER JOIN users AS u2 ON users.id = u2.id',
    );
    expect(c(select(users.c.id).fullJoin(addresses)).sql).toBe('SELECT users.id FROM users FULL OUTER JOIN addresses ON addresses.user_id = users.id');
  });
  test('having, nulls ordering', () => {
    expect(c(select(users.c.age, func.count().label('n')).groupBy(users.c.age).having(func.count().gt(1)).orderBy(users.c.age.desc().nullsLast())).sql).toBe(
      'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > :count_1 ORDER BY users.age DESC NULLS LAST',
    );
  });
  test('orderBy of an unknown result key is an error listing the keys', () => {
    expect(() => select(users.c.id).orderBy('nope')).toThrow(/no result column has that key; the keys are 'id'/);
  });
  test('forUpdate options', () => {
    expect(c(select(users.c.id).forUpdate({ nowait: true })).sql).toBe('SELECT users.id FROM users FOR UPDATE NOWAIT');
    expect(c(select(users.c.id).forUpdate({ skipLocked: true, of: users })).sql).toBe('SELECT users.id FROM users FOR UPDATE OF users SKIP LOCKED');
  });
});

describe('subqueries, CTEs, set operations', () => {
  test('subquery in FROM with typed columns', () => {
    const sq = select(addresses.c.userId, func.count().label('n')).groupBy(addresses.c.userId).subquery('counts');
    expect(c(select(users.c.name, sq.c.n).join(sq, users.c.id.eq(sq.c.userId))).sql).toBe(
      'SELECT users.name, counts.n FROM users JOIN (SELECT addresses.user_id AS "userId", count(*) AS n FROM addresses GROUP BY addresses.user_id) AS counts ON users.id = counts."userId"',
    );
  });
  test('correlated scalar subquery auto-correlates', () => {
    const n = select(func.count()).where(addresses.c.userId.eq(users.c.id)).scalarSubquery();
    expect(c(select(users.c.name, n.label('n'))).sql).toBe(
      'SELECT users.name, (SELECT count(*) AS count FROM addresses WHERE addresses.user_id = users.id) AS n FROM users',
    );
  });
  test('exists', () => {
    expect(c(select(users.c.id).where(exists(select(addresses.c.id).where(addresses.c.userId.eq(users.c.id))))).sql).toBe(
      'SELECT users.id FROM users WHERE EXISTS (SELECT addresses.id FROM addresses WHERE addresses.user_id = users.id)',
    );
  });
  test('CTE', () => {
    const cte = select(users.c.id).where(users.c.age.gt(30)).cte('old');
    expect(c(select(cte.c.id))).toEqual({ sql: 'WITH old AS (SELECT users.id FROM users WHERE users.age > :age_1) SELECT old.id FROM old', params: { age_1: 30 } });
  });
  test('recursive CTE', () => {
    const base = select(literal(1, Integer).label('n')).cte('t', { recursive: true });
    const t = base.unionAll(select(base.c.n.add(1).label('n')).where(base.c.n.lt(5)));
    expect(c(select(t.c.n)).sql).toBe(
      'WITH RECURSIVE t(n) AS (SELECT :param_1 AS n UNION ALL SELECT t.n + :n_1 AS n FROM t WHERE t.n < :n_2) SELECT t.n FROM t',
    );
  });
  test('union / unionAll / except', () => {
    expect(c(union(select(users.c.id), select(addresses.c.id))).sql).toBe('SELECT users.id FROM users UNION SELECT addresses.id FROM addresses');
    expect(c(unionAll(select(users.c.id), select(addresses.c.id)).orderBy('id').limit(3)).sql).toBe(
      'SELECT users.id FROM users UNION ALL SELECT addresses.id FROM addresses ORDER BY id LIMIT :param_1',
    );
    expect(c(select(users.c.id).except(select(addresses.c.id))).sql).toBe('SELECT users.id FROM users EXCEPT SELECT addresses.id FROM addresses');
  });
  test('lateral', () => {
    const lat = select(addresses.c.email).where(addresses.c.userId.eq(users.c.id)).limit(1).lateral('a');
    expect(c(select(users.c.name, lat.c.email).selectFrom(users).join(lat, literal(true))).sql).toBe(
      'SELECT users.name, a.email FROM users JOIN LATERAL (SELECT addresses.email FROM addresses WHERE addresses.user_id = users.id LIMIT :param_1) AS a ON :param_2',
    );
  });
});

describe('functions, case, cast, window, text', () => {
  test('func with known and generic names', () => {
    expect(c(select(func.max(users.c.age), func.coalesce(users.c.name, 'x').label('nm'))).sql).toBe('SELECT max(users.age) AS max, coalesce(users.name, :param_1) AS nm FROM users');
    expect(c(select(func.json_extract(orders.c.data, '$.a').label('a'))).sql).toBe('SELECT json_extract(orders.data, :param_1) AS a FROM orders');
  });
  test('window functions', () => {
    expect(c(select(users.c.id, func.rank().over({ partitionBy: users.c.age, orderBy: users.c.name.desc() }).label('r'))).sql).toBe(
      'SELECT users.id, rank() OVER (PARTITION BY users.age ORDER BY users.name DESC) AS r FROM users',
    );
    expect(c(select(func.sum(users.c.age).over({ orderBy: users.c.id, rows: [null, 0] }).label('s'))).sql).toBe(
      'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM users',
    );
  });
  test('case and cast', () => {
    expect(c(select(case_([[users.c.age.lt(18), 'minor']], { else: 'adult' }).label('k'))).sql).toBe(
      'SELECT CASE WHEN users.age < :age_1 THEN :param_1 ELSE :param_2 END AS k FROM users',
    );
    expect(c(select(cast(users.c.age, String(10)).label('s'))).sql).toBe('SELECT CAST(users.age AS VARCHAR(10)) AS s FROM users');
  });
  test('text() with named binds and the sql tag', () => {
    expect(text('SELECT * FROM users WHERE id = :id').bindparams({ id: 5 }).compile()).toEqual({ sql: 'SELECT * FROM users WHERE id = :id', params: { id: 5 } });
    const id = 7;
    expect(c(sql`SELECT ${users.c.name} FROM ${users} WHERE ${users.c.id} = ${id}`)).toEqual({ sql: 'SELECT users.name FROM users WHERE users.id = :param_1', params: { param_1: 7 } });
    expect(c(select(literalColumn('1').label('one'))).sql).toBe('SELECT 1 AS one');
  });
  test('bindparam is named and reusable with new values', () => {
    const stmt = select(users.c.name).where(users.c.id.eq(bindparam('uid')));
    expect(stmt.compile(undefined, { uid: 3 })).toEqual({ sql: 'SELECT users.name FROM users WHERE users.id = :uid', params: { uid: 3 } });
  });
});

describe('select: targets that bring their own join', () => {
  // What an ORM relationship is to core: FROM items to join, each with its ON clause.
  const viaOrders = { [joinTarget]: () => [{ target: orders, on: orders.c.userId.eq(users.c.id) }] };
  test('join() adds each step with its ON clause; outerJoin() makes each outer', () => {
    expect(c(select(users.c.name).join(viaOrders)).sql).toBe('SELECT users.name FROM users JOIN orders ON orders.user_id = users.id');
    expect(c(select(users.c.name).outerJoin(viaOrders)).sql).toBe('SELECT users.name FROM users LEFT OUTER JOIN orders ON orders.user_id = users.id');
  });
  test("a step's `from` starts the join when the select has no FROM list yet", () => {
    const fromUsers = { [joinTarget]: () => [{ target: orders, on: orders.c.userId.eq(users.c.id), from: users }] };
    expect(c(select(orders.c.id).join(fromUsers)).sql).toBe('SELECT orders.id FROM users JOIN orders ON orders.user_id = users.id');
    // An explicit FROM list wins: the join extends it.
    expect(c(select(orders.c.id).selectFrom(users).join(fromUsers)).sql).toBe('SELECT orders.id FROM users JOIN orders ON orders.user_id = users.id');
  });
  test('an ON clause given with such a target is refused', () => {
    expect(() => select(users.c.name).join(viaOrders, users.c.id.eq(1))).toThrow('join(): this target brings its own ON clause (a relationship); pass no ON clause with it.');
  });
  test('two entities under one name are refused: rows would hold only one', () => {
    const entity = { [selectEntity]: (): EntityDescriptor<string> => ({ name: 'E', from: users, columns: [users.c.id], load: (v) => `${v[0]}` }) };
    expect(() => select(entity, entity)).toThrow("select(): two entities named 'E'");
  });
});

describe('entities with criteria and joined FROM items (the ORM inheritance protocol)', () => {
  const entity = (d: Partial<EntityDescriptor<string>>) => ({
    [selectEntity]: (): EntityDescriptor<string> => ({ name: 'E', from: users, columns: [users.c.id], load: (v) => `${v[0]}`, ...d }),
  });
  test("an entity's where is ANDed to the statement's, an OR grouped, its values inline", () => {
    const e = entity({ where: users.c.name.in([literal('a'), literal('b')]) });
    expect(c(select(e))).toEqual({ sql: "SELECT users.id FROM users WHERE users.name IN ('a', 'b')", params: {} });
    expect(c(select(e).where(or(users.c.age.eq(1), users.c.age.eq(2))))).toEqual({
      sql: "SELECT users.id FROM users WHERE (users.age = :age_1 OR users.age = :age_2) AND users.name IN ('a', 'b')",
      params: { age_1: 1, age_2: 2 },
    });
  });
  test('a statement without such entities keeps its WHERE as it was (no grouping added)', () => {
    expect(c(select(users.c.id).where(or(users.c.age.eq(1), users.c.age.eq(2)))).sql).toBe('SELECT users.id FROM users WHERE users.age = :age_1 OR users.age = :age_2');
  });
  test("an entity whose FROM is a join brings the join, and its tables are not listed again (WHERE included)", () => {
    const j = users.join(orders, orders.c.userId.eq(users.c.id));
    const e = entity({ from: j, columns: [users.c.id, orders.c.id] });
    expect(c(select(e).where(users.c.age.gt(3))).sql).toBe('SELECT users.id, orders.id FROM users JOIN orders ON orders.user_id = users.id WHERE users.age > :age_1');
    // Another table named by the statement is still listed.
    expect(c(select(e, addresses.c.id)).sql).toBe('SELECT users.id, orders.id, addresses.id FROM users JOIN orders ON orders.user_id = users.id, addresses');
  });
});
