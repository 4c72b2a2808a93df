/** Subqueries (FROM, scalar, correlated, EXISTS, LATERAL) and CTEs (plain, several, recursive). */
import { InvalidRequestError, exists, func, literal, not, select, union } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts, employees } = schema();

describe('subqueries', () => {
  test('subquery with aggregate in FROM', () => {
    const sq = select(posts.c.userId, func.count().label('n')).groupBy(posts.c.userId).subquery('pc');
    return expectSQL(select(users.c.name, sq.c.n).join(sq, users.c.id.eq(sq.c.userId)), {
      generic: {
        sql: 'SELECT users.name, pc.n FROM users JOIN (SELECT posts.user_id AS "userId", count(*) AS n FROM posts GROUP BY posts.user_id) AS pc ON users.id = pc."userId"',
        params: {},
      },
      sqlite: {
        sql: 'SELECT users.name, pc.n FROM users JOIN (SELECT posts.user_id AS "userId", count(*) AS n FROM posts GROUP BY posts.user_id) AS pc ON users.id = pc."userId"',
        params: [],
      },
      postgresql: {
        sql: 'SELECT users.name, pc.n FROM users JOIN (SELECT posts.user_id AS "userId", count(*) AS n FROM posts GROUP BY posts.user_id) AS pc ON users.id = pc."userId"',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.name, pc.n FROM users JOIN (SELECT posts.user_id AS `userId`, count(*) AS n FROM posts GROUP BY posts.user_id) AS pc ON users.id = pc.`userId`',
        params: [],
      },
    });
  });
  test('scalar subquery in columns', () =>
    expectSQL(
      select(
        users.c.name,
        select(func.count())
          .selectFrom(posts)
          .where(posts.c.userId.eq(users.c.id))
          .scalarSubquery()
          .label('n'),
      ),
      {
        generic: {
          sql: 'SELECT users.name, (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id) AS n FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT users.name, (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id) AS n FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT users.name, (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id) AS n FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT users.name, (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id) AS n FROM users',
          params: [],
        },
      },
    ));
  test('scalar subquery in WHERE', () =>
    expectSQL(
      select(users.c.id).where(users.c.age.gt(select(func.max(posts.c.id)).scalarSubquery() as never)),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE users.age > (SELECT max(posts.id) AS max FROM posts)',
          params: {},
        },
        sqlite: {
          sql: 'SELECT users.id FROM users WHERE users.age > (SELECT max(posts.id) AS max FROM posts)',
          params: [],
        },
        postgresql: {
          sql: 'SELECT users.id FROM users WHERE users.age > (SELECT max(posts.id) AS max FROM posts)',
          params: [],
        },
        mysql: {
          sql: 'SELECT users.id FROM users WHERE users.age > (SELECT max(posts.id) AS max FROM posts)',
          params: [],
        },
      },
    ));
  test('correlated exists', () =>
    expectSQL(select(users.c.name).where(exists(select(posts.c.id).where(posts.c.userId.eq(users.c.id)))), {
      generic: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: {},
      },
      sqlite: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
      postgresql: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
    }));
  test('correlateExcept keeps a table in the subquery; correlate() alone correlates nothing', () => {
    const sub = select(func.count()).where(posts.c.userId.eq(users.c.id));
    const outer = (s: typeof sub) => select(posts.c.title, s.scalarSubquery().label('n')).join(users, users.c.id.eq(posts.c.userId));
    const sql = (s: string) => ({ sql: s, params: [] });
    const kept = 'SELECT posts.title, (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id) AS n FROM posts JOIN users ON users.id = posts.user_id';
    expectSQL(outer(sub.correlateExcept(posts)), { generic: { sql: kept, params: {} }, sqlite: sql(kept), postgresql: sql(kept), mysql: sql(kept) });
    const none = 'SELECT posts.title, (SELECT count(*) AS count FROM posts, users WHERE posts.user_id = users.id) AS n FROM posts JOIN users ON users.id = posts.user_id';
    expectSQL(outer(sub.correlate()), { generic: { sql: none, params: {} }, sqlite: sql(none), postgresql: sql(none), mysql: sql(none) });
    expect(() => outer(sub).compile()).toThrow(InvalidRequestError);
  });
  test('not exists', () =>
    expectSQL(
      select(users.c.name).where(not(exists(select(posts.c.id).where(posts.c.userId.eq(users.c.id))))),
      {
        generic: {
          sql: 'SELECT users.name FROM users WHERE NOT EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
          params: {},
        },
        sqlite: {
          sql: 'SELECT users.name FROM users WHERE NOT EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
          params: [],
        },
        postgresql: {
          sql: 'SELECT users.name FROM users WHERE NOT EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
          params: [],
        },
        mysql: {
          sql: 'SELECT users.name FROM users WHERE NOT EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
          params: [],
        },
      },
    ));
  test('exists() method', () =>
    expectSQL(select(users.c.name).where(select(posts.c.id).where(posts.c.userId.eq(users.c.id)).exists()), {
      generic: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: {},
      },
      sqlite: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
      postgresql: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
    }));
  test('exists with bound value', () =>
    expectSQL(
      select(users.c.name).where(
        exists(select(posts.c.id).where(posts.c.userId.eq(users.c.id), posts.c.title.eq('t'))),
      ),
      {
        generic: {
          sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id AND posts.title = :title_1)',
          params: { title_1: 't' },
        },
        sqlite: {
          sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id AND posts.title = ?)',
          params: ['t'],
        },
        postgresql: {
          sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id AND posts.title = $1)',
          params: ['t'],
        },
        mysql: {
          sql: 'SELECT users.name FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id AND posts.title = ?)',
          params: ['t'],
        },
      },
    ));
  test('lateral join', () => {
    const lat = select(posts.c.title)
      .where(posts.c.userId.eq(users.c.id))
      .orderBy(posts.c.id.desc())
      .limit(2)
      .lateral('recent');
    return expectSQL(select(users.c.name, lat.c.title).selectFrom(users).join(lat, literal(true)), {
      generic: {
        sql: 'SELECT users.name, recent.title FROM users JOIN LATERAL (SELECT posts.title FROM posts WHERE posts.user_id = users.id ORDER BY posts.id DESC LIMIT :param_1) AS recent ON :param_2',
        params: { param_1: 2, param_2: true },
      },
      sqlite: { error: "LATERAL is not supported by the 'sqlite' dialect." },
      postgresql: {
        sql: 'SELECT users.name, recent.title FROM users JOIN LATERAL (SELECT posts.title FROM posts WHERE posts.user_id = users.id ORDER BY posts.id DESC LIMIT $1) AS recent ON $2',
        params: [2, true],
      },
      mysql: {
        sql: 'SELECT users.name, recent.title FROM users JOIN LATERAL (SELECT posts.title FROM posts WHERE posts.user_id = users.id ORDER BY posts.id DESC LIMIT ?) AS recent ON ?',
        params: [2, 1],
      },
    });
  });
  test('subquery of subquery', () => {
    const a = select(users.c.id, users.c.age).subquery('a');
    const b = select(a.c.id).where(a.c.age.gt(1)).subquery('b');
    return expectSQL(select(b.c.id), {
      generic: {
        sql: 'SELECT b.id FROM (SELECT a.id FROM (SELECT users.id, users.age FROM users) AS a WHERE a.age > :age_1) AS b',
        params: { age_1: 1 },
      },
      sqlite: {
        sql: 'SELECT b.id FROM (SELECT a.id FROM (SELECT users.id, users.age FROM users) AS a WHERE a.age > ?) AS b',
        params: [1],
      },
      postgresql: {
        sql: 'SELECT b.id FROM (SELECT a.id FROM (SELECT users.id, users.age FROM users) AS a WHERE a.age > $1) AS b',
        params: [1],
      },
      mysql: {
        sql: 'SELECT b.id FROM (SELECT a.id FROM (SELECT users.id, users.age FROM users) AS a WHERE a.age > ?) AS b',
        params: [1],
      },
    });
  });
  test('in scalar subquery list', () =>
    expectSQL(
      select(users.c.id).where(users.c.id.in(select(posts.c.userId).where(posts.c.title.isNotNull()))),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts WHERE posts.title IS NOT NULL)',
          params: {},
        },
        sqlite: {
          sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts WHERE posts.title IS NOT NULL)',
          params: [],
        },
        postgresql: {
          sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts WHERE posts.title IS NOT NULL)',
          params: [],
        },
        mysql: {
          sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS `userId` FROM posts WHERE posts.title IS NOT NULL)',
          params: [],
        },
      },
    ));
});

describe('CTEs', () => {
  test('plain CTE', () => {
    const c = select(users.c.id, users.c.name).where(users.c.age.gt(30)).cte('older');
    return expectSQL(select(c.c.name), {
      generic: {
        sql: 'WITH older AS (SELECT users.id, users.name FROM users WHERE users.age > :age_1) SELECT older.name FROM older',
        params: { age_1: 30 },
      },
      sqlite: {
        sql: 'WITH older AS (SELECT users.id, users.name FROM users WHERE users.age > ?) SELECT older.name FROM older',
        params: [30],
      },
      postgresql: {
        sql: 'WITH older AS (SELECT users.id, users.name FROM users WHERE users.age > $1) SELECT older.name FROM older',
        params: [30],
      },
      mysql: {
        sql: 'WITH older AS (SELECT users.id, users.name FROM users WHERE users.age > ?) SELECT older.name FROM older',
        params: [30],
      },
    });
  });
  test('two CTEs', () => {
    const a = select(users.c.id).where(users.c.age.gt(30)).cte('a');
    const b = select(posts.c.userId).where(posts.c.title.isNotNull()).cte('b');
    return expectSQL(select(a.c.id).join(b, a.c.id.eq(b.c.userId)), {
      generic: {
        sql: 'WITH a AS (SELECT users.id FROM users WHERE users.age > :age_1), b AS (SELECT posts.user_id AS "userId" FROM posts WHERE posts.title IS NOT NULL) SELECT a.id FROM a JOIN b ON a.id = b."userId"',
        params: { age_1: 30 },
      },
      sqlite: {
        sql: 'WITH a AS (SELECT users.id FROM users WHERE users.age > ?), b AS (SELECT posts.user_id AS "userId" FROM posts WHERE posts.title IS NOT NULL) SELECT a.id FROM a JOIN b ON a.id = b."userId"',
        params: [30],
      },
      postgresql: {
        sql: 'WITH a AS (SELECT users.id FROM users WHERE users.age > $1), b AS (SELECT posts.user_id AS "userId" FROM posts WHERE posts.title IS NOT NULL) SELECT a.id FROM a JOIN b ON a.id = b."userId"',
        params: [30],
      },
      mysql: {
        sql: 'WITH a AS (SELECT users.id FROM users WHERE users.age > ?), b AS (SELECT posts.user_id AS `userId` FROM posts WHERE posts.title IS NOT NULL) SELECT a.id FROM a JOIN b ON a.id = b.`userId`',
        params: [30],
      },
    });
  });
  test('CTE used by a CTE', () => {
    const a = select(users.c.id, users.c.age).cte('a');
    const b = select(a.c.id).where(a.c.age.gt(1)).cte('b');
    return expectSQL(select(b.c.id), {
      generic: {
        sql: 'WITH a AS (SELECT users.id, users.age FROM users), b AS (SELECT a.id FROM a WHERE a.age > :age_1) SELECT b.id FROM b',
        params: { age_1: 1 },
      },
      sqlite: {
        sql: 'WITH a AS (SELECT users.id, users.age FROM users), b AS (SELECT a.id FROM a WHERE a.age > ?) SELECT b.id FROM b',
        params: [1],
      },
      postgresql: {
        sql: 'WITH a AS (SELECT users.id, users.age FROM users), b AS (SELECT a.id FROM a WHERE a.age > $1) SELECT b.id FROM b',
        params: [1],
      },
      mysql: {
        sql: 'WITH a AS (SELECT users.id, users.age FROM users), b AS (SELECT a.id FROM a WHERE a.age > ?) SELECT b.id FROM b',
        params: [1],
      },
    });
  });
  test('recursive CTE', () => {
    const tree = select(employees.c.id, employees.c.managerId)
      .where(employees.c.managerId.isNull())
      .cte('tree', { recursive: true });
    const e = employees.alias('e');
    const full = tree.unionAll(select(e.c.id, e.c.managerId).join(tree, e.c.managerId.eq(tree.c.id)));
    return expectSQL(select(full.c.id), {
      generic: {
        sql: 'WITH RECURSIVE tree(id, "managerId") AS (SELECT employees.id, employees.manager_id AS "managerId" FROM employees WHERE employees.manager_id IS NULL UNION ALL SELECT e.id, e.manager_id AS "managerId" FROM employees AS e JOIN tree ON e.manager_id = tree.id) SELECT tree.id FROM tree',
        params: {},
      },
      sqlite: {
        sql: 'WITH RECURSIVE tree(id, "managerId") AS (SELECT employees.id, employees.manager_id AS "managerId" FROM employees WHERE employees.manager_id IS NULL UNION ALL SELECT e.id, e.manager_id AS "managerId" FROM employees AS e JOIN tree ON e.manager_id = tree.id) SELECT tree.id FROM tree',
        params: [],
      },
      postgresql: {
        sql: 'WITH RECURSIVE tree(id, "managerId") AS (SELECT employees.id, employees.manager_id AS "managerId" FROM employees WHERE employees.manager_id IS NULL UNION ALL SELECT e.id, e.manager_id AS "managerId" FROM employees AS e JOIN tree ON e.manager_id = tree.id) SELECT tree.id FROM tree',
        params: [],
      },
      mysql: {
        sql: 'WITH RECURSIVE tree(id, `managerId`) AS (SELECT employees.id, employees.manager_id AS `managerId` FROM employees WHERE employees.manager_id IS NULL UNION ALL SELECT e.id, e.manager_id AS `managerId` FROM employees AS e JOIN tree ON e.manager_id = tree.id) SELECT tree.id FROM tree',
        params: [],
      },
    });
  });
  test('CTE from a union', () => {
    const c = union(select(users.c.id), select(posts.c.userId.label('id'))).cte('ids');
    return expectSQL(select(c.c.id), {
      generic: {
        sql: 'WITH ids AS (SELECT users.id FROM users UNION SELECT posts.user_id AS id FROM posts) SELECT ids.id FROM ids',
        params: {},
      },
      sqlite: {
        sql: 'WITH ids AS (SELECT users.id FROM users UNION SELECT posts.user_id AS id FROM posts) SELECT ids.id FROM ids',
        params: [],
      },
      postgresql: {
        sql: 'WITH ids AS (SELECT users.id FROM users UNION SELECT posts.user_id AS id FROM posts) SELECT ids.id FROM ids',
        params: [],
      },
      mysql: {
        sql: 'WITH ids AS (SELECT users.id FROM users UNION SELECT posts.user_id AS id FROM posts) SELECT ids.id FROM ids',
        params: [],
      },
    });
  });
});
