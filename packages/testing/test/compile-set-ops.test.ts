/** UNION / UNION ALL / INTERSECT / EXCEPT and their ALL forms per dialect. */
import { except, intersect, select, union, unionAll } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts } = schema();
const a = () => select(users.c.id).where(users.c.age.gt(1));
const b = () => select(posts.c.userId.label('id'));

test('union', () =>
  expectSQL(union(a(), b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 UNION SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 UNION SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('union all', () =>
  expectSQL(unionAll(a(), b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 UNION ALL SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 UNION ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('intersect', () =>
  expectSQL(intersect(a(), b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 INTERSECT SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? INTERSECT SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 INTERSECT SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? INTERSECT SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('except', () =>
  expectSQL(except(a(), b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 EXCEPT SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? EXCEPT SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 EXCEPT SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? EXCEPT SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('intersect all', () =>
  expectSQL(a().intersectAll(b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 INTERSECT ALL SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: { error: "INTERSECT ALL is not supported by the 'sqlite' dialect." },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 INTERSECT ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? INTERSECT ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('except all', () =>
  expectSQL(a().exceptAll(b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 EXCEPT ALL SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: { error: "EXCEPT ALL is not supported by the 'sqlite' dialect." },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 EXCEPT ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? EXCEPT ALL SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('union method', () =>
  expectSQL(a().union(b()), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 UNION SELECT posts.user_id AS id FROM posts',
      params: { age_1: 1 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 UNION SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts',
      params: [1],
    },
  }));
test('three-way union', () =>
  expectSQL(union(a(), b(), select(users.c.age.label('id'))), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 UNION SELECT posts.user_id AS id FROM posts UNION SELECT users.age AS id FROM users',
      params: { age_1: 1 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts UNION SELECT users.age AS id FROM users',
      params: [1],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 UNION SELECT posts.user_id AS id FROM posts UNION SELECT users.age AS id FROM users',
      params: [1],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts UNION SELECT users.age AS id FROM users',
      params: [1],
    },
  }));
test('union with order by and limit', () =>
  expectSQL(union(a(), b()).orderBy('id').limit(5), {
    generic: {
      sql: 'SELECT users.id FROM users WHERE users.age > :age_1 UNION SELECT posts.user_id AS id FROM posts ORDER BY id LIMIT :param_1',
      params: { age_1: 1, param_1: 5 },
    },
    sqlite: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts ORDER BY id LIMIT ?',
      params: [1, 5],
    },
    postgresql: {
      sql: 'SELECT users.id FROM users WHERE users.age > $1 UNION SELECT posts.user_id AS id FROM posts ORDER BY id LIMIT $2',
      params: [1, 5],
    },
    mysql: {
      sql: 'SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts ORDER BY id LIMIT ?',
      params: [1, 5],
    },
  }));

describe('members with their own ORDER BY / LIMIT / OFFSET, and nested compounds', () => {
  test('a member with ORDER BY and LIMIT: parenthesised, a subquery on SQLite', () =>
    expectSQL(union(a().orderBy(users.c.age).limit(1), b()), {
      generic: {
        sql: '(SELECT users.id FROM users WHERE users.age > :age_1 ORDER BY users.age LIMIT :param_1) UNION SELECT posts.user_id AS id FROM posts',
        params: { age_1: 1, param_1: 1 },
      },
      sqlite: {
        sql: 'SELECT * FROM (SELECT users.id FROM users WHERE users.age > ? ORDER BY users.age LIMIT ?) UNION SELECT posts.user_id AS id FROM posts',
        params: [1, 1],
      },
      postgresql: {
        sql: '(SELECT users.id FROM users WHERE users.age > $1 ORDER BY users.age LIMIT $2) UNION SELECT posts.user_id AS id FROM posts',
        params: [1, 1],
      },
      mysql: {
        sql: '(SELECT users.id FROM users WHERE users.age > ? ORDER BY users.age LIMIT ?) UNION SELECT posts.user_id AS id FROM posts',
        params: [1, 1],
      },
    }));
  test('the second member with LIMIT and OFFSET', () =>
    expectSQL(unionAll(a(), b().limit(2).offset(1)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age > :age_1 UNION ALL (SELECT posts.user_id AS id FROM posts LIMIT :param_1 OFFSET :param_2)',
        params: { age_1: 1, param_1: 2, param_2: 1 },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE users.age > ? UNION ALL SELECT * FROM (SELECT posts.user_id AS id FROM posts LIMIT ? OFFSET ?)',
        params: [1, 2, 1],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.age > $1 UNION ALL (SELECT posts.user_id AS id FROM posts LIMIT $2 OFFSET $3)',
        params: [1, 2, 1],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE users.age > ? UNION ALL (SELECT posts.user_id AS id FROM posts LIMIT ? OFFSET ?)',
        params: [1, 2, 1],
      },
    }));
  test('a nested compound as a member', () =>
    expectSQL(except(union(a(), b()), select(users.c.id).limit(3)), {
      generic: {
        sql: '(SELECT users.id FROM users WHERE users.age > :age_1 UNION SELECT posts.user_id AS id FROM posts) EXCEPT (SELECT users.id FROM users LIMIT :param_1)',
        params: { age_1: 1, param_1: 3 },
      },
      sqlite: {
        sql: 'SELECT * FROM (SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts) EXCEPT SELECT * FROM (SELECT users.id FROM users LIMIT ?)',
        params: [1, 3],
      },
      postgresql: {
        sql: '(SELECT users.id FROM users WHERE users.age > $1 UNION SELECT posts.user_id AS id FROM posts) EXCEPT (SELECT users.id FROM users LIMIT $2)',
        params: [1, 3],
      },
      mysql: {
        sql: '(SELECT users.id FROM users WHERE users.age > ? UNION SELECT posts.user_id AS id FROM posts) EXCEPT (SELECT users.id FROM users LIMIT ?)',
        params: [1, 3],
      },
    }));
});
