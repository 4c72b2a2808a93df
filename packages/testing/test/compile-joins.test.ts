/** Joins per dialect: explicit, inferred from foreign keys, self, outer, full, chained. */
import { and, select } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts, employees } = schema();

test('inner join with on', () =>
  expectSQL(select(users.c.name, posts.c.title).join(posts, users.c.id.eq(posts.c.userId)), {
    generic: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON users.id = posts.user_id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON users.id = posts.user_id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON users.id = posts.user_id',
      params: [],
    },
    mysql: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON users.id = posts.user_id',
      params: [],
    },
  }));
test('join inferred from foreign key', () =>
  expectSQL(select(users.c.name, posts.c.title).join(posts), {
    generic: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON posts.user_id = users.id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON posts.user_id = users.id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON posts.user_id = users.id',
      params: [],
    },
    mysql: {
      sql: 'SELECT users.name, posts.title FROM users JOIN posts ON posts.user_id = users.id',
      params: [],
    },
  }));
test('join inferred in reverse direction', () =>
  expectSQL(select(posts.c.title, users.c.name).join(users), {
    generic: {
      sql: 'SELECT posts.title, users.name FROM posts JOIN users ON posts.user_id = users.id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT posts.title, users.name FROM posts JOIN users ON posts.user_id = users.id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT posts.title, users.name FROM posts JOIN users ON posts.user_id = users.id',
      params: [],
    },
    mysql: {
      sql: 'SELECT posts.title, users.name FROM posts JOIN users ON posts.user_id = users.id',
      params: [],
    },
  }));
test('outer join', () =>
  expectSQL(select(users.c.name, posts.c.title).outerJoin(posts), {
    generic: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id',
      params: [],
    },
    mysql: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id',
      params: [],
    },
  }));
test('outer join with on', () =>
  expectSQL(select(users.c.name, posts.c.title).outerJoin(posts, users.c.id.eq(posts.c.userId)), {
    generic: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id',
      params: [],
    },
    mysql: {
      sql: 'SELECT users.name, posts.title FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id',
      params: [],
    },
  }));
test('full join', () =>
  expectSQL(select(users.c.name, posts.c.title).fullJoin(posts), {
    generic: {
      sql: 'SELECT users.name, posts.title FROM users FULL OUTER JOIN posts ON posts.user_id = users.id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT users.name, posts.title FROM users FULL OUTER JOIN posts ON posts.user_id = users.id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT users.name, posts.title FROM users FULL OUTER JOIN posts ON posts.user_id = users.id',
      params: [],
    },
    mysql: { error: "FULL OUTER JOIN is not supported by the 'mysql' dialect." },
  }));
test('join with compound on', () =>
  expectSQL(select(users.c.name).join(posts, and(users.c.id.eq(posts.c.userId), posts.c.score.gt('5'))), {
    generic: {
      sql: 'SELECT users.name FROM users JOIN posts ON users.id = posts.user_id AND posts.score > :score_1',
      params: { score_1: '5' },
    },
    sqlite: {
      sql: 'SELECT users.name FROM users JOIN posts ON users.id = posts.user_id AND posts.score > ?',
      params: [5], // SQLite stores Numeric as a number (NUMERIC affinity)
    },
    postgresql: {
      sql: 'SELECT users.name FROM users JOIN posts ON users.id = posts.user_id AND posts.score > $1',
      params: ['5'],
    },
    mysql: {
      sql: 'SELECT users.name FROM users JOIN posts ON users.id = posts.user_id AND posts.score > CAST(? AS DECIMAL(65, 0))',
      params: ['5'],
    },
  }));
test('join and where', () =>
  expectSQL(select(users.c.name).join(posts).where(posts.c.title.like('%x%')), {
    generic: {
      sql: 'SELECT users.name FROM users JOIN posts ON posts.user_id = users.id WHERE posts.title LIKE :title_1',
      params: { title_1: '%x%' },
    },
    sqlite: {
      sql: 'SELECT users.name FROM users JOIN posts ON posts.user_id = users.id WHERE posts.title LIKE ?',
      params: ['%x%'],
    },
    postgresql: {
      sql: 'SELECT users.name FROM users JOIN posts ON posts.user_id = users.id WHERE posts.title LIKE $1',
      params: ['%x%'],
    },
    mysql: {
      sql: 'SELECT users.name FROM users JOIN posts ON posts.user_id = users.id WHERE posts.title LIKE ?',
      params: ['%x%'],
    },
  }));
test('self join through aliases', () => {
  const e = employees.alias('e');
  const m = employees.alias('m');
  return expectSQL(
    select(e.c.name, m.c.name.label('manager')).selectFrom(e).join(m, e.c.managerId.eq(m.c.id)),
    {
      generic: {
        sql: 'SELECT e.name, m.name AS manager FROM employees AS e JOIN employees AS m ON e.manager_id = m.id',
        params: {},
      },
      sqlite: {
        sql: 'SELECT e.name, m.name AS manager FROM employees AS e JOIN employees AS m ON e.manager_id = m.id',
        params: [],
      },
      postgresql: {
        sql: 'SELECT e.name, m.name AS manager FROM employees AS e JOIN employees AS m ON e.manager_id = m.id',
        params: [],
      },
      mysql: {
        sql: 'SELECT e.name, m.name AS manager FROM employees AS e JOIN employees AS m ON e.manager_id = m.id',
        params: [],
      },
    },
  );
});
test('self outer join', () => {
  const m = employees.alias('m');
  return expectSQL(
    select(employees.c.name, m.c.name.label('boss'))
      .selectFrom(employees)
      .outerJoin(m, employees.c.managerId.eq(m.c.id)),
    {
      generic: {
        sql: 'SELECT employees.name, m.name AS boss FROM employees LEFT OUTER JOIN employees AS m ON employees.manager_id = m.id',
        params: {},
      },
      sqlite: {
        sql: 'SELECT employees.name, m.name AS boss FROM employees LEFT OUTER JOIN employees AS m ON employees.manager_id = m.id',
        params: [],
      },
      postgresql: {
        sql: 'SELECT employees.name, m.name AS boss FROM employees LEFT OUTER JOIN employees AS m ON employees.manager_id = m.id',
        params: [],
      },
      mysql: {
        sql: 'SELECT employees.name, m.name AS boss FROM employees LEFT OUTER JOIN employees AS m ON employees.manager_id = m.id',
        params: [],
      },
    },
  );
});
test('join to alias', () => {
  const p = posts.alias('p');
  return expectSQL(select(users.c.name, p.c.title).join(p, users.c.id.eq(p.c.userId)), {
    generic: {
      sql: 'SELECT users.name, p.title FROM users JOIN posts AS p ON users.id = p.user_id',
      params: {},
    },
    sqlite: {
      sql: 'SELECT users.name, p.title FROM users JOIN posts AS p ON users.id = p.user_id',
      params: [],
    },
    postgresql: {
      sql: 'SELECT users.name, p.title FROM users JOIN posts AS p ON users.id = p.user_id',
      params: [],
    },
    mysql: {
      sql: 'SELECT users.name, p.title FROM users JOIN posts AS p ON users.id = p.user_id',
      params: [],
    },
  });
});
test('join to subquery', () => {
  const sq = select(posts.c.userId, posts.c.title).where(posts.c.score.gt('1')).subquery('top');
  return expectSQL(select(users.c.name, sq.c.title).join(sq, users.c.id.eq(sq.c.userId)), {
    generic: {
      sql: 'SELECT users.name, top.title FROM users JOIN (SELECT posts.user_id AS "userId", posts.title FROM posts WHERE posts.score > :score_1) AS top ON users.id = top."userId"',
      params: { score_1: '1' },
    },
    sqlite: {
      sql: 'SELECT users.name, top.title FROM users JOIN (SELECT posts.user_id AS "userId", posts.title FROM posts WHERE posts.score > ?) AS top ON users.id = top."userId"',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.name, top.title FROM users JOIN (SELECT posts.user_id AS "userId", posts.title FROM posts WHERE posts.score > $1) AS top ON users.id = top."userId"',
      params: ['1'],
    },
    mysql: {
      sql: 'SELECT users.name, top.title FROM users JOIN (SELECT posts.user_id AS `userId`, posts.title FROM posts WHERE posts.score > CAST(? AS DECIMAL(65, 0))) AS top ON users.id = top.`userId`',
      params: ['1'],
    },
  });
});
test('two joins', () => {
  const m = employees.alias('m');
  return expectSQL(
    select(users.c.name, posts.c.title, m.c.name.label('m')).join(posts).join(m, m.c.id.eq(users.c.id)),
    {
      generic: {
        sql: 'SELECT users.name, posts.title, m.name AS m FROM users JOIN posts ON posts.user_id = users.id JOIN employees AS m ON m.id = users.id',
        params: {},
      },
      sqlite: {
        sql: 'SELECT users.name, posts.title, m.name AS m FROM users JOIN posts ON posts.user_id = users.id JOIN employees AS m ON m.id = users.id',
        params: [],
      },
      postgresql: {
        sql: 'SELECT users.name, posts.title, m.name AS m FROM users JOIN posts ON posts.user_id = users.id JOIN employees AS m ON m.id = users.id',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.name, posts.title, m.name AS m FROM users JOIN posts ON posts.user_id = users.id JOIN employees AS m ON m.id = users.id',
        params: [],
      },
    },
  );
});
test('cross product from two tables', () =>
  expectSQL(select(users.c.id, posts.c.id.label('pid')), {
    generic: { sql: 'SELECT users.id, posts.id AS pid FROM users, posts', params: {} },
    sqlite: { sql: 'SELECT users.id, posts.id AS pid FROM users, posts', params: [] },
    postgresql: { sql: 'SELECT users.id, posts.id AS pid FROM users, posts', params: [] },
    mysql: { sql: 'SELECT users.id, posts.id AS pid FROM users, posts', params: [] },
  }));
test('explicit selectFrom then join', () =>
  expectSQL(select(posts.c.title).selectFrom(users).join(posts), {
    generic: { sql: 'SELECT posts.title FROM users JOIN posts ON posts.user_id = users.id', params: {} },
    sqlite: { sql: 'SELECT posts.title FROM users JOIN posts ON posts.user_id = users.id', params: [] },
    postgresql: { sql: 'SELECT posts.title FROM users JOIN posts ON posts.user_id = users.id', params: [] },
    mysql: { sql: 'SELECT posts.title FROM users JOIN posts ON posts.user_id = users.id', params: [] },
  }));
