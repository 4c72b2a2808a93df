/** SELECT clauses per dialect: labels, aliases, distinct, group by, order by, limits, locking. */
import { asc, desc, func, literal, select } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts } = schema();

describe('columns, labels, aliases', () => {
  test('whole table', () =>
    expectSQL(select(users), {
      generic: { sql: 'SELECT users.id, users.name, users.age FROM users', params: {} },
      sqlite: { sql: 'SELECT users.id, users.name, users.age FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id, users.name, users.age FROM users', params: [] },
      mysql: { sql: 'SELECT users.id, users.name, users.age FROM users', params: [] },
    }));
  test('label', () =>
    expectSQL(select(users.c.name.label('n')), {
      generic: { sql: 'SELECT users.name AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT users.name AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT users.name AS n FROM users', params: [] },
      mysql: { sql: 'SELECT users.name AS n FROM users', params: [] },
    }));
  test('literal label', () =>
    expectSQL(select(literal(5).label('five')), {
      generic: { sql: 'SELECT :param_1 AS five', params: { param_1: 5 } },
      sqlite: { sql: 'SELECT ? AS five', params: [5] },
      postgresql: { sql: 'SELECT $1::INTEGER AS five', params: [5] },
      mysql: { sql: 'SELECT ? AS five', params: [5] },
    }));
  test('literal string', () =>
    expectSQL(select(literal('x').label('s')), {
      generic: { sql: 'SELECT :param_1 AS s', params: { param_1: 'x' } },
      sqlite: { sql: 'SELECT ? AS s', params: ['x'] },
      postgresql: { sql: 'SELECT $1::VARCHAR AS s', params: ['x'] },
      mysql: { sql: 'SELECT ? AS s', params: ['x'] },
    }));
  test('table alias', () => {
    const u = users.alias('u');
    return expectSQL(select(u.c.id, u.c.name).where(u.c.age.gt(3)), {
      generic: { sql: 'SELECT u.id, u.name FROM users AS u WHERE u.age > :age_1', params: { age_1: 3 } },
      sqlite: { sql: 'SELECT u.id, u.name FROM users AS u WHERE u.age > ?', params: [3] },
      postgresql: { sql: 'SELECT u.id, u.name FROM users AS u WHERE u.age > $1', params: [3] },
      mysql: { sql: 'SELECT u.id, u.name FROM users AS u WHERE u.age > ?', params: [3] },
    });
  });
  test('two aliases of one table', () => {
    const a = users.alias('a');
    const b = users.alias('b');
    return expectSQL(select(a.c.id, b.c.id.label('other')).where(a.c.age.eq(b.c.age)), {
      generic: {
        sql: 'SELECT a.id, b.id AS other FROM users AS a, users AS b WHERE a.age = b.age',
        params: {},
      },
      sqlite: {
        sql: 'SELECT a.id, b.id AS other FROM users AS a, users AS b WHERE a.age = b.age',
        params: [],
      },
      postgresql: {
        sql: 'SELECT a.id, b.id AS other FROM users AS a, users AS b WHERE a.age = b.age',
        params: [],
      },
      mysql: {
        sql: 'SELECT a.id, b.id AS other FROM users AS a, users AS b WHERE a.age = b.age',
        params: [],
      },
    });
  });
  test('selectFrom without columns from it', () =>
    expectSQL(select(func.count().label('n')).selectFrom(users), {
      generic: { sql: 'SELECT count(*) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT count(*) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT count(*) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT count(*) AS n FROM users', params: [] },
    }));
  test('column key differs from name', () =>
    expectSQL(select(posts.c.userId), {
      generic: { sql: 'SELECT posts.user_id AS "userId" FROM posts', params: {} },
      sqlite: { sql: 'SELECT posts.user_id AS "userId" FROM posts', params: [] },
      postgresql: { sql: 'SELECT posts.user_id AS "userId" FROM posts', params: [] },
      mysql: { sql: 'SELECT posts.user_id AS `userId` FROM posts', params: [] },
    }));
  test('filterBy', () =>
    expectSQL(select(users.c.id).selectFrom(users).filterBy({ name: 'x', age: 3 }), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name = :name_1 AND users.age = :age_1',
        params: { name_1: 'x', age_1: 3 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name = ? AND users.age = ?', params: ['x', 3] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.name = $1 AND users.age = $2',
        params: ['x', 3],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.name = ? AND users.age = ?', params: ['x', 3] },
    }));
});

describe('distinct', () => {
  test('distinct', () =>
    expectSQL(select(users.c.name).distinct(), {
      generic: { sql: 'SELECT DISTINCT users.name FROM users', params: {} },
      sqlite: { sql: 'SELECT DISTINCT users.name FROM users', params: [] },
      postgresql: { sql: 'SELECT DISTINCT users.name FROM users', params: [] },
      mysql: { sql: 'SELECT DISTINCT users.name FROM users', params: [] },
    }));
  test('distinctOn', () =>
    expectSQL(select(users.c.name, users.c.age).distinctOn(users.c.name).orderBy(users.c.name, users.c.age), {
      generic: { error: "DISTINCT ON (select().distinctOn()) is not supported by the 'default' dialect." },
      sqlite: { error: "DISTINCT ON (select().distinctOn()) is not supported by the 'sqlite' dialect." },
      postgresql: {
        sql: 'SELECT DISTINCT ON (users.name) users.name, users.age FROM users ORDER BY users.name, users.age',
        params: [],
      },
      mysql: { error: "DISTINCT ON (select().distinctOn()) is not supported by the 'mysql' dialect." },
    }));
  test('count distinct', () =>
    expectSQL(select(func.countDistinct(users.c.name).label('n')), {
      generic: { sql: 'SELECT count(DISTINCT users.name) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT count(DISTINCT users.name) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT count(DISTINCT users.name) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT count(DISTINCT users.name) AS n FROM users', params: [] },
    }));
});

describe('group by and having', () => {
  test('group by', () =>
    expectSQL(select(users.c.age, func.count().label('n')).groupBy(users.c.age), {
      generic: { sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age', params: {} },
      sqlite: { sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age', params: [] },
      postgresql: { sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age', params: [] },
      mysql: { sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age', params: [] },
    }));
  test('group by two', () =>
    expectSQL(select(users.c.age, users.c.name, func.count().label('n')).groupBy(users.c.age, users.c.name), {
      generic: {
        sql: 'SELECT users.age, users.name, count(*) AS n FROM users GROUP BY users.age, users.name',
        params: {},
      },
      sqlite: {
        sql: 'SELECT users.age, users.name, count(*) AS n FROM users GROUP BY users.age, users.name',
        params: [],
      },
      postgresql: {
        sql: 'SELECT users.age, users.name, count(*) AS n FROM users GROUP BY users.age, users.name',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.age, users.name, count(*) AS n FROM users GROUP BY users.age, users.name',
        params: [],
      },
    }));
  test('having', () =>
    expectSQL(select(users.c.age, func.count().label('n')).groupBy(users.c.age).having(func.count().gt(1)), {
      generic: {
        sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > :count_1',
        params: { count_1: 1 },
      },
      sqlite: {
        sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > ?',
        params: [1],
      },
      postgresql: {
        sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > $1',
        params: [1],
      },
      mysql: {
        sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > ?',
        params: [1],
      },
    }));
  test('having with and', () =>
    expectSQL(
      select(users.c.age, func.count().label('n'))
        .groupBy(users.c.age)
        .having(func.count().gt(1), func.max(users.c.id).lt(100)),
      {
        generic: {
          sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > :count_1 AND max(users.id) < :max_1',
          params: { count_1: 1, max_1: 100 },
        },
        sqlite: {
          sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > ? AND max(users.id) < ?',
          params: [1, 100],
        },
        postgresql: {
          sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > $1 AND max(users.id) < $2',
          params: [1, 100],
        },
        mysql: {
          sql: 'SELECT users.age, count(*) AS n FROM users GROUP BY users.age HAVING count(*) > ? AND max(users.id) < ?',
          params: [1, 100],
        },
      },
    ));
  test('group by expression', () =>
    expectSQL(
      select(func.lower(users.c.name).label('l'), func.count().label('n')).groupBy(func.lower(users.c.name)),
      {
        generic: {
          sql: 'SELECT lower(users.name) AS l, count(*) AS n FROM users GROUP BY lower(users.name)',
          params: {},
        },
        sqlite: {
          sql: 'SELECT lower(users.name) AS l, count(*) AS n FROM users GROUP BY lower(users.name)',
          params: [],
        },
        postgresql: {
          sql: 'SELECT lower(users.name) AS l, count(*) AS n FROM users GROUP BY lower(users.name)',
          params: [],
        },
        mysql: {
          sql: 'SELECT lower(users.name) AS l, count(*) AS n FROM users GROUP BY lower(users.name)',
          params: [],
        },
      },
    ));
});

describe('order by', () => {
  test('asc', () =>
    expectSQL(select(users.c.id).orderBy(users.c.name.asc()), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.name ASC', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.name ASC', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.name ASC', params: [] },
      mysql: { sql: 'SELECT users.id FROM users ORDER BY users.name ASC', params: [] },
    }));
  test('desc', () =>
    expectSQL(select(users.c.id).orderBy(users.c.name.desc()), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: [] },
      mysql: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: [] },
    }));
  test('desc() helper', () =>
    expectSQL(select(users.c.id).orderBy(desc(users.c.name)), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: [] },
      mysql: { sql: 'SELECT users.id FROM users ORDER BY users.name DESC', params: [] },
    }));
  test('asc() by label', () =>
    expectSQL(select(users.c.name.label('n')).orderBy(asc('n')), {
      generic: { sql: 'SELECT users.name AS n FROM users ORDER BY n ASC', params: {} },
      sqlite: { sql: 'SELECT users.name AS n FROM users ORDER BY n ASC', params: [] },
      postgresql: { sql: 'SELECT users.name AS n FROM users ORDER BY n ASC', params: [] },
      mysql: { sql: 'SELECT users.name AS n FROM users ORDER BY n ASC', params: [] },
    }));
  test('by result name', () =>
    expectSQL(select(users.c.name).orderBy('name'), {
      generic: { sql: 'SELECT users.name FROM users ORDER BY name', params: {} },
      sqlite: { sql: 'SELECT users.name FROM users ORDER BY name', params: [] },
      postgresql: { sql: 'SELECT users.name FROM users ORDER BY name', params: [] },
      mysql: { sql: 'SELECT users.name FROM users ORDER BY name', params: [] },
    }));
  test('several', () =>
    expectSQL(select(users.c.id).orderBy(users.c.age.desc(), users.c.name), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC, users.name', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC, users.name', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC, users.name', params: [] },
      mysql: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC, users.name', params: [] },
    }));
  test('nulls first', () =>
    expectSQL(select(users.c.id).orderBy(users.c.age.nullsFirst()), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.age NULLS FIRST', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.age NULLS FIRST', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.age NULLS FIRST', params: [] },
      mysql: {
        error:
          "NULLS FIRST (order by nulls first/last; sort on `col IS NULL` first instead) is not supported by the 'mysql' dialect.",
      },
    }));
  test('nulls last', () =>
    expectSQL(select(users.c.id).orderBy(users.c.age.nullsLast()), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.age NULLS LAST', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.age NULLS LAST', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.age NULLS LAST', params: [] },
      mysql: {
        error:
          "NULLS LAST (order by nulls first/last; sort on `col IS NULL` first instead) is not supported by the 'mysql' dialect.",
      },
    }));
  test('desc nulls last', () =>
    expectSQL(select(users.c.id).orderBy(users.c.age.desc().nullsLast()), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC NULLS LAST', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC NULLS LAST', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.age DESC NULLS LAST', params: [] },
      mysql: {
        error:
          "NULLS LAST (order by nulls first/last; sort on `col IS NULL` first instead) is not supported by the 'mysql' dialect.",
      },
    }));
  test('asc nulls first', () =>
    expectSQL(select(users.c.id).orderBy(users.c.age.asc().nullsFirst()), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.age ASC NULLS FIRST', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.age ASC NULLS FIRST', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.age ASC NULLS FIRST', params: [] },
      mysql: {
        error:
          "NULLS FIRST (order by nulls first/last; sort on `col IS NULL` first instead) is not supported by the 'mysql' dialect.",
      },
    }));
  test('expression', () =>
    expectSQL(select(users.c.id).orderBy(users.c.age.add(1)), {
      generic: { sql: 'SELECT users.id FROM users ORDER BY users.age + :age_1', params: { age_1: 1 } },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.age + ?', params: [1] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.age + $1', params: [1] },
      mysql: { sql: 'SELECT users.id FROM users ORDER BY users.age + ?', params: [1] },
    }));
});

describe('limit and offset', () => {
  test('limit', () =>
    expectSQL(select(users.c.id).limit(10), {
      generic: { sql: 'SELECT users.id FROM users LIMIT :param_1', params: { param_1: 10 } },
      sqlite: { sql: 'SELECT users.id FROM users LIMIT ?', params: [10] },
      postgresql: { sql: 'SELECT users.id FROM users LIMIT $1', params: [10] },
      mysql: { sql: 'SELECT users.id FROM users LIMIT ?', params: [10] },
    }));
  test('offset', () =>
    expectSQL(select(users.c.id).offset(5), {
      generic: { sql: 'SELECT users.id FROM users OFFSET :param_1', params: { param_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users LIMIT -1 OFFSET ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users OFFSET $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users LIMIT 18446744073709551615 OFFSET ?', params: [5] },
    }));
  test('limit and offset', () =>
    expectSQL(select(users.c.id).limit(10).offset(5), {
      generic: {
        sql: 'SELECT users.id FROM users LIMIT :param_1 OFFSET :param_2',
        params: { param_1: 10, param_2: 5 },
      },
      sqlite: { sql: 'SELECT users.id FROM users LIMIT ? OFFSET ?', params: [10, 5] },
      postgresql: { sql: 'SELECT users.id FROM users LIMIT $1 OFFSET $2', params: [10, 5] },
      mysql: { sql: 'SELECT users.id FROM users LIMIT ? OFFSET ?', params: [10, 5] },
    }));
  test('order, limit, offset', () =>
    expectSQL(select(users.c.id).orderBy(users.c.id).limit(1).offset(2), {
      generic: {
        sql: 'SELECT users.id FROM users ORDER BY users.id LIMIT :param_1 OFFSET :param_2',
        params: { param_1: 1, param_2: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?', params: [1, 2] },
      postgresql: { sql: 'SELECT users.id FROM users ORDER BY users.id LIMIT $1 OFFSET $2', params: [1, 2] },
      mysql: { sql: 'SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?', params: [1, 2] },
    }));
  test('limit null clears', () =>
    expectSQL(select(users.c.id).limit(3).limit(null), {
      generic: { sql: 'SELECT users.id FROM users', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users', params: [] },
      mysql: { sql: 'SELECT users.id FROM users', params: [] },
    }));
  test('limit zero', () =>
    expectSQL(select(users.c.id).limit(0), {
      generic: { sql: 'SELECT users.id FROM users LIMIT :param_1', params: { param_1: 0 } },
      sqlite: { sql: 'SELECT users.id FROM users LIMIT ?', params: [0] },
      postgresql: { sql: 'SELECT users.id FROM users LIMIT $1', params: [0] },
      mysql: { sql: 'SELECT users.id FROM users LIMIT ?', params: [0] },
    }));
});

describe('for update', () => {
  test('forUpdate', () =>
    expectSQL(select(users.c.id).forUpdate(), {
      generic: { sql: 'SELECT users.id FROM users FOR UPDATE', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users FOR UPDATE', params: [] },
      mysql: { sql: 'SELECT users.id FROM users FOR UPDATE', params: [] },
    }));
  test('nowait', () =>
    expectSQL(select(users.c.id).forUpdate({ nowait: true }), {
      generic: { sql: 'SELECT users.id FROM users FOR UPDATE NOWAIT', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users FOR UPDATE NOWAIT', params: [] },
      mysql: { sql: 'SELECT users.id FROM users FOR UPDATE NOWAIT', params: [] },
    }));
  test('skip locked', () =>
    expectSQL(select(users.c.id).forUpdate({ skipLocked: true }), {
      generic: { sql: 'SELECT users.id FROM users FOR UPDATE SKIP LOCKED', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users FOR UPDATE SKIP LOCKED', params: [] },
      mysql: { sql: 'SELECT users.id FROM users FOR UPDATE SKIP LOCKED', params: [] },
    }));
  test('read (share)', () =>
    expectSQL(select(users.c.id).forUpdate({ read: true }), {
      generic: { sql: 'SELECT users.id FROM users FOR SHARE', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users FOR SHARE', params: [] },
      mysql: { sql: 'SELECT users.id FROM users FOR SHARE', params: [] },
    }));
  test('read nowait', () =>
    expectSQL(select(users.c.id).forUpdate({ read: true, nowait: true }), {
      generic: { sql: 'SELECT users.id FROM users FOR SHARE NOWAIT', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users FOR SHARE NOWAIT', params: [] },
      mysql: { sql: 'SELECT users.id FROM users FOR SHARE NOWAIT', params: [] },
    }));
  test('of table', () =>
    expectSQL(select(users.c.id).join(posts).forUpdate({ of: users }), {
      generic: {
        sql: 'SELECT users.id FROM users JOIN posts ON posts.user_id = users.id FOR UPDATE OF users',
        params: {},
      },
      sqlite: { sql: 'SELECT users.id FROM users JOIN posts ON posts.user_id = users.id', params: [] },
      postgresql: {
        sql: 'SELECT users.id FROM users JOIN posts ON posts.user_id = users.id FOR UPDATE OF users',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.id FROM users JOIN posts ON posts.user_id = users.id FOR UPDATE OF users',
        params: [],
      },
    }));
  test('with limit', () =>
    expectSQL(select(users.c.id).where(users.c.id.eq(1)).limit(1).forUpdate(), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 LIMIT :param_1 FOR UPDATE',
        params: { id_1: 1, param_1: 1 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ? LIMIT ?', params: [1, 1] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id = $1 LIMIT $2 FOR UPDATE',
        params: [1, 1],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ? LIMIT ? FOR UPDATE', params: [1, 1] },
    }));
});
