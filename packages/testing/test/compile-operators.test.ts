/** Comparison, null, IN, LIKE, arithmetic, concat, boolean and precedence per dialect. */
import { Integer, and, bindparam, literal, not, or, select, tuple_ } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts } = schema();
const where = (p: Parameters<ReturnType<typeof select>['where']>[0]) => select(users.c.id).where(p);

describe('comparison', () => {
  test('eq', () =>
    expectSQL(where(users.c.age.eq(5)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age = :age_1', params: { age_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age = ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age = $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age = ?', params: [5] },
    }));
  test('ne', () =>
    expectSQL(where(users.c.age.ne(5)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age <> :age_1', params: { age_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age <> ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age <> $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age <> ?', params: [5] },
    }));
  test('lt', () =>
    expectSQL(where(users.c.age.lt(5)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age < :age_1', params: { age_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age < ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age < $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age < ?', params: [5] },
    }));
  test('le', () =>
    expectSQL(where(users.c.age.le(5)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age <= :age_1', params: { age_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age <= ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age <= $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age <= ?', params: [5] },
    }));
  test('gt', () =>
    expectSQL(where(users.c.age.gt(5)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age > :age_1', params: { age_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age > ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age > $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age > ?', params: [5] },
    }));
  test('ge', () =>
    expectSQL(where(users.c.age.ge(5)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age >= :age_1', params: { age_1: 5 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age >= ?', params: [5] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age >= $1', params: [5] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age >= ?', params: [5] },
    }));
  test('column to column', () =>
    expectSQL(where(users.c.age.eq(users.c.id)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age = users.id', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age = users.id', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age = users.id', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age = users.id', params: [] },
    }));
  test('eq(null)', () =>
    expectSQL(where(users.c.age.eq(null)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: [] },
    }));
  test('ne(null)', () =>
    expectSQL(where(users.c.age.ne(null)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
    }));
  test('isNull', () =>
    expectSQL(where(users.c.age.isNull()), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age IS NULL', params: [] },
    }));
  test('isNotNull', () =>
    expectSQL(where(users.c.age.isNotNull()), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
    }));
  test('isDistinctFrom', () =>
    expectSQL(where(users.c.age.isDistinctFrom(3)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age IS DISTINCT FROM :age_1',
        params: { age_1: 3 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS DISTINCT FROM ?', params: [3] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS DISTINCT FROM $1', params: [3] },
      mysql: { sql: 'SELECT users.id FROM users WHERE NOT (users.age <=> ?)', params: [3] },
    }));
  test('isNotDistinctFrom', () =>
    expectSQL(where(users.c.age.isNotDistinctFrom(3)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age IS NOT DISTINCT FROM :age_1',
        params: { age_1: 3 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT DISTINCT FROM ?', params: [3] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT DISTINCT FROM $1', params: [3] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age <=> ?', params: [3] },
    }));
  test('isDistinctFrom(null)', () =>
    expectSQL(where(users.c.age.isDistinctFrom(null)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age IS DISTINCT FROM NULL', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS DISTINCT FROM NULL', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS DISTINCT FROM NULL', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE NOT (users.age <=> NULL)', params: [] },
    }));
  test('custom op with return type', () =>
    expectSQL(where(users.c.age.op('&', { returnType: Integer })(4).eq(4)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE (users.age & :age_1) = :param_1',
        params: { age_1: 4, param_1: 4 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE (users.age & ?) = ?', params: [4, 4] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE (users.age & $1) = $2', params: [4, 4] },
      mysql: { sql: 'SELECT users.id FROM users WHERE (users.age & ?) = ?', params: [4, 4] },
    }));
  test('string value', () =>
    expectSQL(where(users.c.name.eq("O'Brien")), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name = :name_1',
        params: { name_1: "O'Brien" },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name = ?', params: ["O'Brien"] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name = $1', params: ["O'Brien"] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.name = ?', params: ["O'Brien"] },
    }));
});

describe('IN', () => {
  test('in list', () =>
    expectSQL(where(users.c.id.in([1, 2, 3])), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id IN (:id_1_0, :id_1_1, :id_1_2)',
        params: { id_1_0: 1, id_1_1: 2, id_1_2: 3 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id IN (?, ?, ?)', params: [1, 2, 3] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id IN ($1, $2, $3)', params: [1, 2, 3] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id IN (?, ?, ?)', params: [1, 2, 3] },
    }));
  test('notIn list', () =>
    expectSQL(where(users.c.id.notIn([1, 2])), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id NOT IN (:id_1_0, :id_1_1)',
        params: { id_1_0: 1, id_1_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id NOT IN (?, ?)', params: [1, 2] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id NOT IN ($1, $2)', params: [1, 2] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id NOT IN (?, ?)', params: [1, 2] },
    }));
  test('in single', () =>
    expectSQL(where(users.c.id.in([7])), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.id IN (:id_1_0)', params: { id_1_0: 7 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id IN (?)', params: [7] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id IN ($1)', params: [7] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id IN (?)', params: [7] },
    }));
  test('in empty', () =>
    expectSQL(where(users.c.id.in([])), {
      generic: { sql: 'SELECT users.id FROM users WHERE 1 <> 1', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE 1 <> 1', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE 1 <> 1', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE 1 <> 1', params: [] },
    }));
  test('notIn empty', () =>
    expectSQL(where(users.c.id.notIn([])), {
      generic: { sql: 'SELECT users.id FROM users WHERE 1 = 1', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE 1 = 1', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE 1 = 1', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE 1 = 1', params: [] },
    }));
  test('in with expressions', () =>
    expectSQL(where(users.c.id.in([users.c.age, 3])), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id IN (users.age, :id_1)',
        params: { id_1: 3 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id IN (users.age, ?)', params: [3] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id IN (users.age, $1)', params: [3] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id IN (users.age, ?)', params: [3] },
    }));
  test('in subquery', () =>
    expectSQL(where(users.c.id.in(select(posts.c.userId))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts)',
        params: {},
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts)',
        params: [],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts)',
        params: [],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE users.id IN (SELECT posts.user_id AS `userId` FROM posts)',
        params: [],
      },
    }));
  test('notIn subquery', () =>
    expectSQL(where(users.c.id.notIn(select(posts.c.userId).where(posts.c.id.gt(10)))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id NOT IN (SELECT posts.user_id AS "userId" FROM posts WHERE posts.id > :id_1)',
        params: { id_1: 10 },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE users.id NOT IN (SELECT posts.user_id AS "userId" FROM posts WHERE posts.id > ?)',
        params: [10],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id NOT IN (SELECT posts.user_id AS "userId" FROM posts WHERE posts.id > $1)',
        params: [10],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE users.id NOT IN (SELECT posts.user_id AS `userId` FROM posts WHERE posts.id > ?)',
        params: [10],
      },
    }));
  test('tuple in', () =>
    expectSQL(
      where(
        tuple_(users.c.id, users.c.age).in([
          [1, 2],
          [3, 4],
        ]),
      ),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE (users.id, users.age) IN ((:param_1_0, :param_1_1), (:param_1_2, :param_1_3))',
          params: { param_1_0: 1, param_1_1: 2, param_1_2: 3, param_1_3: 4 },
        },
        sqlite: {
          sql: 'SELECT users.id FROM users WHERE (users.id, users.age) IN ((?, ?), (?, ?))',
          params: [1, 2, 3, 4],
        },
        postgresql: {
          sql: 'SELECT users.id FROM users WHERE (users.id, users.age) IN (($1, $2), ($3, $4))',
          params: [1, 2, 3, 4],
        },
        mysql: {
          sql: 'SELECT users.id FROM users WHERE (users.id, users.age) IN ((?, ?), (?, ?))',
          params: [1, 2, 3, 4],
        },
      },
    ));
  test('tuple eq', () =>
    expectSQL(where(tuple_(users.c.id, users.c.age).eq(tuple_(literal(1), literal(2)))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE (users.id, users.age) = (:param_1, :param_2)',
        params: { param_1: 1, param_2: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE (users.id, users.age) = (?, ?)', params: [1, 2] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE (users.id, users.age) = ($1, $2)',
        params: [1, 2],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE (users.id, users.age) = (?, ?)', params: [1, 2] },
    }));
  test('expanding bindparam', () =>
    expectSQL(
      where(users.c.id.in(bindparam('ids', { expanding: true }))),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE users.id IN (:ids_0, :ids_1, :ids_2)',
          params: { ids_0: 4, ids_1: 5, ids_2: 6 },
        },
        sqlite: { sql: 'SELECT users.id FROM users WHERE users.id IN (?, ?, ?)', params: [4, 5, 6] },
        postgresql: { sql: 'SELECT users.id FROM users WHERE users.id IN ($1, $2, $3)', params: [4, 5, 6] },
        mysql: { sql: 'SELECT users.id FROM users WHERE users.id IN (?, ?, ?)', params: [4, 5, 6] },
      },
      { ids: [4, 5, 6] },
    ));
  test('in strings', () =>
    expectSQL(where(users.c.name.in(['a', 'b'])), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name IN (:name_1_0, :name_1_1)',
        params: { name_1_0: 'a', name_1_1: 'b' },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name IN (?, ?)', params: ['a', 'b'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name IN ($1, $2)', params: ['a', 'b'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.name IN (?, ?)', params: ['a', 'b'] },
    }));
});

describe('LIKE', () => {
  test('like', () =>
    expectSQL(where(users.c.name.like('a%')), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.name LIKE :name_1', params: { name_1: 'a%' } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name LIKE ?', params: ['a%'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name LIKE $1', params: ['a%'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.name LIKE ?', params: ['a%'] },
    }));
  test('notLike', () =>
    expectSQL(where(users.c.name.notLike('a%')), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE :name_1',
        params: { name_1: 'a%' },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE ?', params: ['a%'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE $1', params: ['a%'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE ?', params: ['a%'] },
    }));
  test('like escape', () =>
    expectSQL(where(users.c.name.like('a!%%', { escape: '!' })), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '!'",
        params: { name_1: 'a!%%' },
      },
      sqlite: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '!'", params: ['a!%%'] },
      postgresql: { sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '!'", params: ['a!%%'] },
      mysql: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '!'", params: ['a!%%'] },
    }));
  test('ilike', () =>
    expectSQL(where(users.c.name.ilike('a%')), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.name ILIKE :name_1', params: { name_1: 'a%' } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?)', params: ['a%'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name ILIKE $1', params: ['a%'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?)', params: ['a%'] },
    }));
  test('notIlike', () =>
    expectSQL(where(users.c.name.notIlike('a%')), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name NOT ILIKE :name_1',
        params: { name_1: 'a%' },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE lower(users.name) NOT LIKE lower(?)', params: ['a%'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name NOT ILIKE $1', params: ['a%'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE lower(users.name) NOT LIKE lower(?)', params: ['a%'] },
    }));
  test('ilike escape', () =>
    expectSQL(where(users.c.name.ilike('a!%%', { escape: '!' })), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name ILIKE :name_1 ESCAPE '!'",
        params: { name_1: 'a!%%' },
      },
      sqlite: {
        sql: "SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?) ESCAPE '!'",
        params: ['a!%%'],
      },
      postgresql: {
        sql: "SELECT users.id FROM users WHERE users.name ILIKE $1 ESCAPE '!'",
        params: ['a!%%'],
      },
      mysql: {
        sql: "SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?) ESCAPE '!'",
        params: ['a!%%'],
      },
    }));
  test('contains', () =>
    expectSQL(where(users.c.name.contains('bob')), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '/'",
        params: { name_1: '%bob%' },
      },
      sqlite: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['%bob%'] },
      postgresql: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'",
        params: ['%bob%'],
      },
      mysql: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['%bob%'] },
    }));
  test('startsWith', () =>
    expectSQL(where(users.c.name.startsWith('bo')), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '/'",
        params: { name_1: 'bo%' },
      },
      sqlite: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['bo%'] },
      postgresql: { sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'", params: ['bo%'] },
      mysql: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['bo%'] },
    }));
  test('endsWith', () =>
    expectSQL(where(users.c.name.endsWith('ob')), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '/'",
        params: { name_1: '%ob' },
      },
      sqlite: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['%ob'] },
      postgresql: { sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'", params: ['%ob'] },
      mysql: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['%ob'] },
    }));
  test('contains autoescape', () =>
    expectSQL(where(users.c.name.contains('50%_off/', { autoescape: true })), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '/'",
        params: { name_1: '%50/%/_off//%' },
      },
      sqlite: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'",
        params: ['%50/%/_off//%'],
      },
      postgresql: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'",
        params: ['%50/%/_off//%'],
      },
      mysql: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'",
        params: ['%50/%/_off//%'],
      },
    }));
  test('startsWith autoescape', () =>
    expectSQL(where(users.c.name.startsWith('a_b', { autoescape: true })), {
      generic: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE :name_1 ESCAPE '/'",
        params: { name_1: 'a/_b%' },
      },
      sqlite: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['a/_b%'] },
      postgresql: {
        sql: "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'",
        params: ['a/_b%'],
      },
      mysql: { sql: "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'", params: ['a/_b%'] },
    }));
  test('like column pattern', () =>
    expectSQL(where(users.c.name.like(posts.c.title)), {
      generic: { sql: 'SELECT users.id FROM users, posts WHERE users.name LIKE posts.title', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users, posts WHERE users.name LIKE posts.title', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users, posts WHERE users.name LIKE posts.title', params: [] },
      mysql: { sql: 'SELECT users.id FROM users, posts WHERE users.name LIKE posts.title', params: [] },
    }));
});

describe('arithmetic and concat', () => {
  test('add', () =>
    expectSQL(select(users.c.age.add(1).label('x')), {
      generic: { sql: 'SELECT users.age + :age_1 AS x FROM users', params: { age_1: 1 } },
      sqlite: { sql: 'SELECT users.age + ? AS x FROM users', params: [1] },
      postgresql: { sql: 'SELECT users.age + $1 AS x FROM users', params: [1] },
      mysql: { sql: 'SELECT users.age + ? AS x FROM users', params: [1] },
    }));
  test('sub', () =>
    expectSQL(select(users.c.age.sub(1).label('x')), {
      generic: { sql: 'SELECT users.age - :age_1 AS x FROM users', params: { age_1: 1 } },
      sqlite: { sql: 'SELECT users.age - ? AS x FROM users', params: [1] },
      postgresql: { sql: 'SELECT users.age - $1 AS x FROM users', params: [1] },
      mysql: { sql: 'SELECT users.age - ? AS x FROM users', params: [1] },
    }));
  test('mul', () =>
    expectSQL(select(users.c.age.mul(2).label('x')), {
      generic: { sql: 'SELECT users.age * :age_1 AS x FROM users', params: { age_1: 2 } },
      sqlite: { sql: 'SELECT users.age * ? AS x FROM users', params: [2] },
      postgresql: { sql: 'SELECT users.age * $1 AS x FROM users', params: [2] },
      mysql: { sql: 'SELECT users.age * ? AS x FROM users', params: [2] },
    }));
  test('div', () =>
    expectSQL(select(users.c.age.div(2).label('x')), {
      generic: { sql: 'SELECT users.age / :age_1 AS x FROM users', params: { age_1: 2 } },
      sqlite: { sql: 'SELECT CAST(users.age / ? AS INTEGER) AS x FROM users', params: [2] }, // better-sqlite3 binds 2 as a REAL
      postgresql: { sql: 'SELECT users.age / $1 AS x FROM users', params: [2] },
      mysql: { sql: 'SELECT users.age DIV ? AS x FROM users', params: [2] }, // Integer / Integer truncates everywhere
    }));
  test('mod', () =>
    expectSQL(select(users.c.age.mod(2).label('x')), {
      generic: { sql: 'SELECT users.age % :age_1 AS x FROM users', params: { age_1: 2 } },
      sqlite: { sql: 'SELECT users.age % ? AS x FROM users', params: [2] },
      postgresql: { sql: 'SELECT users.age % $1 AS x FROM users', params: [2] },
      mysql: { sql: 'SELECT users.age % ? AS x FROM users', params: [2] },
    }));
  test('neg', () =>
    expectSQL(select(users.c.age.neg().label('x')), {
      generic: { sql: 'SELECT -users.age AS x FROM users', params: {} },
      sqlite: { sql: 'SELECT -users.age AS x FROM users', params: [] },
      postgresql: { sql: 'SELECT -users.age AS x FROM users', params: [] },
      mysql: { sql: 'SELECT -users.age AS x FROM users', params: [] },
    }));
  test('column + column', () =>
    expectSQL(select(users.c.age.add(users.c.id).label('x')), {
      generic: { sql: 'SELECT users.age + users.id AS x FROM users', params: {} },
      sqlite: { sql: 'SELECT users.age + users.id AS x FROM users', params: [] },
      postgresql: { sql: 'SELECT users.age + users.id AS x FROM users', params: [] },
      mysql: { sql: 'SELECT users.age + users.id AS x FROM users', params: [] },
    }));
  test('concat', () =>
    expectSQL(select(users.c.name.concat('!').label('x')), {
      generic: { sql: 'SELECT users.name || :name_1 AS x FROM users', params: { name_1: '!' } },
      sqlite: { sql: 'SELECT users.name || ? AS x FROM users', params: ['!'] },
      postgresql: { sql: 'SELECT users.name || $1 AS x FROM users', params: ['!'] },
      mysql: { sql: 'SELECT concat(users.name, ?) AS x FROM users', params: ['!'] },
    }));
  test('concat columns', () =>
    expectSQL(select(users.c.name.concat(posts.c.title).label('x')).selectFrom(users, posts), {
      generic: { sql: 'SELECT users.name || posts.title AS x FROM users, posts', params: {} },
      sqlite: { sql: 'SELECT users.name || posts.title AS x FROM users, posts', params: [] },
      postgresql: { sql: 'SELECT users.name || posts.title AS x FROM users, posts', params: [] },
      mysql: { sql: 'SELECT concat(users.name, posts.title) AS x FROM users, posts', params: [] },
    }));
  test('chained concat', () =>
    expectSQL(select(users.c.name.concat('-').concat(users.c.name).label('x')), {
      generic: { sql: 'SELECT users.name || :name_1 || users.name AS x FROM users', params: { name_1: '-' } },
      sqlite: { sql: 'SELECT users.name || ? || users.name AS x FROM users', params: ['-'] },
      postgresql: { sql: 'SELECT users.name || $1 || users.name AS x FROM users', params: ['-'] },
      mysql: { sql: 'SELECT concat(concat(users.name, ?), users.name) AS x FROM users', params: ['-'] },
    }));
  test('concat in WHERE', () =>
    expectSQL(where(users.c.name.concat('x').eq('bx')), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name || :name_1 = :param_1',
        params: { name_1: 'x', param_1: 'bx' },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name || ? = ?', params: ['x', 'bx'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name || $1 = $2', params: ['x', 'bx'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE concat(users.name, ?) = ?', params: ['x', 'bx'] },
    }));
});

describe('precedence', () => {
  test('(a + b) * c', () =>
    expectSQL(select(users.c.age.add(1).mul(2).label('x')), {
      generic: {
        sql: 'SELECT (users.age + :age_1) * :param_1 AS x FROM users',
        params: { age_1: 1, param_1: 2 },
      },
      sqlite: { sql: 'SELECT (users.age + ?) * ? AS x FROM users', params: [1, 2] },
      postgresql: { sql: 'SELECT (users.age + $1) * $2 AS x FROM users', params: [1, 2] },
      mysql: { sql: 'SELECT (users.age + ?) * ? AS x FROM users', params: [1, 2] },
    }));
  test('a + b * c', () =>
    expectSQL(select(users.c.age.add(users.c.id.mul(2)).label('x')), {
      generic: { sql: 'SELECT users.age + users.id * :id_1 AS x FROM users', params: { id_1: 2 } },
      sqlite: { sql: 'SELECT users.age + users.id * ? AS x FROM users', params: [2] },
      postgresql: { sql: 'SELECT users.age + users.id * $1 AS x FROM users', params: [2] },
      mysql: { sql: 'SELECT users.age + users.id * ? AS x FROM users', params: [2] },
    }));
  test('a - (b - c)', () =>
    expectSQL(select(users.c.age.sub(users.c.id.sub(1)).label('x')), {
      generic: { sql: 'SELECT users.age - (users.id - :id_1) AS x FROM users', params: { id_1: 1 } },
      sqlite: { sql: 'SELECT users.age - (users.id - ?) AS x FROM users', params: [1] },
      postgresql: { sql: 'SELECT users.age - (users.id - $1) AS x FROM users', params: [1] },
      mysql: { sql: 'SELECT users.age - (users.id - ?) AS x FROM users', params: [1] },
    }));
  test('(a - b) - c', () =>
    expectSQL(select(users.c.age.sub(users.c.id).sub(1).label('x')), {
      generic: { sql: 'SELECT users.age - users.id - :param_1 AS x FROM users', params: { param_1: 1 } },
      sqlite: { sql: 'SELECT users.age - users.id - ? AS x FROM users', params: [1] },
      postgresql: { sql: 'SELECT users.age - users.id - $1 AS x FROM users', params: [1] },
      mysql: { sql: 'SELECT users.age - users.id - ? AS x FROM users', params: [1] },
    }));
  test('a / (b / c)', () =>
    expectSQL(select(users.c.age.div(users.c.id.div(2)).label('x')), {
      generic: { sql: 'SELECT users.age / (users.id / :id_1) AS x FROM users', params: { id_1: 2 } },
      sqlite: { sql: 'SELECT CAST(users.age / (CAST(users.id / ? AS INTEGER)) AS INTEGER) AS x FROM users', params: [2] },
      postgresql: { sql: 'SELECT users.age / (users.id / $1) AS x FROM users', params: [2] },
      mysql: { sql: 'SELECT users.age DIV (users.id DIV ?) AS x FROM users', params: [2] },
    }));
  test('neg of sum', () =>
    expectSQL(select(users.c.age.add(1).neg().label('x')), {
      generic: { sql: 'SELECT -(users.age + :age_1) AS x FROM users', params: { age_1: 1 } },
      sqlite: { sql: 'SELECT -(users.age + ?) AS x FROM users', params: [1] },
      postgresql: { sql: 'SELECT -(users.age + $1) AS x FROM users', params: [1] },
      mysql: { sql: 'SELECT -(users.age + ?) AS x FROM users', params: [1] },
    }));
  test('comparison of arithmetic', () =>
    expectSQL(where(users.c.age.mul(2).gt(users.c.id.add(1))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age * :age_1 > users.id + :id_1',
        params: { age_1: 2, id_1: 1 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age * ? > users.id + ?', params: [2, 1] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age * $1 > users.id + $2', params: [2, 1] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age * ? > users.id + ?', params: [2, 1] },
    }));
  test('and inside or', () =>
    expectSQL(where(or(and(users.c.id.eq(1), users.c.age.eq(2)), users.c.id.eq(3))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 AND users.age = :age_1 OR users.id = :id_2',
        params: { id_1: 1, age_1: 2, id_2: 3 },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ? OR users.id = ?',
        params: [1, 2, 3],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id = $1 AND users.age = $2 OR users.id = $3',
        params: [1, 2, 3],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ? OR users.id = ?',
        params: [1, 2, 3],
      },
    }));
  test('or inside and', () =>
    expectSQL(where(and(or(users.c.id.eq(1), users.c.id.eq(2)), users.c.age.eq(3))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE (users.id = :id_1 OR users.id = :id_2) AND users.age = :age_1',
        params: { id_1: 1, id_2: 2, age_1: 3 },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE (users.id = ? OR users.id = ?) AND users.age = ?',
        params: [1, 2, 3],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE (users.id = $1 OR users.id = $2) AND users.age = $3',
        params: [1, 2, 3],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE (users.id = ? OR users.id = ?) AND users.age = ?',
        params: [1, 2, 3],
      },
    }));
  test('comparison of comparison', () =>
    expectSQL(where(users.c.age.gt(1).eq(literal(true))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE (users.age > :age_1) = :param_1',
        params: { age_1: 1, param_1: true },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE (users.age > ?) = ?', params: [1, 1] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE (users.age > $1) = $2', params: [1, true] },
      mysql: { sql: 'SELECT users.id FROM users WHERE (users.age > ?) = ?', params: [1, 1] },
    }));
});

describe('boolean', () => {
  test('and', () =>
    expectSQL(where(and(users.c.id.eq(1), users.c.age.gt(2))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 AND users.age > :age_1',
        params: { id_1: 1, age_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age > ?', params: [1, 2] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id = $1 AND users.age > $2',
        params: [1, 2],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age > ?', params: [1, 2] },
    }));
  test('or', () =>
    expectSQL(where(or(users.c.id.eq(1), users.c.age.gt(2))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 OR users.age > :age_1',
        params: { id_1: 1, age_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ? OR users.age > ?', params: [1, 2] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id = $1 OR users.age > $2', params: [1, 2] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ? OR users.age > ?', params: [1, 2] },
    }));
  test('not comparison', () =>
    expectSQL(where(not(users.c.id.eq(1))), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.id <> :id_1', params: { id_1: 1 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id <> ?', params: [1] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id <> $1', params: [1] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id <> ?', params: [1] },
    }));
  test('not and', () =>
    expectSQL(where(not(and(users.c.id.eq(1), users.c.age.gt(2)))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE NOT (users.id = :id_1 AND users.age > :age_1)',
        params: { id_1: 1, age_1: 2 },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE NOT (users.id = ? AND users.age > ?)',
        params: [1, 2],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE NOT (users.id = $1 AND users.age > $2)',
        params: [1, 2],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE NOT (users.id = ? AND users.age > ?)', params: [1, 2] },
    }));
  test('not or', () =>
    expectSQL(where(not(or(users.c.id.eq(1), users.c.age.gt(2)))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE NOT (users.id = :id_1 OR users.age > :age_1)',
        params: { id_1: 1, age_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE NOT (users.id = ? OR users.age > ?)', params: [1, 2] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE NOT (users.id = $1 OR users.age > $2)',
        params: [1, 2],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE NOT (users.id = ? OR users.age > ?)', params: [1, 2] },
    }));
  test('not in', () =>
    expectSQL(where(not(users.c.id.in([1, 2]))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id NOT IN (:id_1_0, :id_1_1)',
        params: { id_1_0: 1, id_1_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id NOT IN (?, ?)', params: [1, 2] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id NOT IN ($1, $2)', params: [1, 2] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id NOT IN (?, ?)', params: [1, 2] },
    }));
  test('not like', () =>
    expectSQL(where(not(users.c.name.like('x%'))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE :name_1',
        params: { name_1: 'x%' },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE ?', params: ['x%'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE $1', params: ['x%'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.name NOT LIKE ?', params: ['x%'] },
    }));
  test('not isNull', () =>
    expectSQL(where(not(users.c.age.isNull())), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: {} },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age IS NOT NULL', params: [] },
    }));
  test('and with undefined skipped', () =>
    expectSQL(where(and(users.c.id.eq(1), undefined)), {
      generic: { sql: 'SELECT users.id FROM users WHERE users.id = :id_1', params: { id_1: 1 } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [1] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id = $1', params: [1] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [1] },
    }));
  test('several where calls', () =>
    expectSQL(select(users.c.id).where(users.c.id.eq(1)).where(users.c.age.eq(2)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 AND users.age = :age_1',
        params: { id_1: 1, age_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ?', params: [1, 2] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id = $1 AND users.age = $2',
        params: [1, 2],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ?', params: [1, 2] },
    }));
  test('where with several criteria', () =>
    expectSQL(select(users.c.id).where(users.c.id.eq(1), users.c.age.eq(2)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 AND users.age = :age_1',
        params: { id_1: 1, age_1: 2 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ?', params: [1, 2] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id = $1 AND users.age = $2',
        params: [1, 2],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ?', params: [1, 2] },
    }));
  test('nested and flattened', () =>
    expectSQL(where(and(and(users.c.id.eq(1), users.c.age.eq(2)), users.c.name.eq('x'))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.id = :id_1 AND users.age = :age_1 AND users.name = :name_1',
        params: { id_1: 1, age_1: 2, name_1: 'x' },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ? AND users.name = ?',
        params: [1, 2, 'x'],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.id = $1 AND users.age = $2 AND users.name = $3',
        params: [1, 2, 'x'],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE users.id = ? AND users.age = ? AND users.name = ?',
        params: [1, 2, 'x'],
      },
    }));
  test('literal true', () =>
    expectSQL(where(literal(true)), {
      generic: { sql: 'SELECT users.id FROM users WHERE :param_1', params: { param_1: true } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE ?', params: [1] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE $1', params: [true] },
      mysql: { sql: 'SELECT users.id FROM users WHERE ?', params: [1] },
    }));
});

describe('between', () => {
  test('between', () =>
    expectSQL(where(users.c.age.between(1, 10)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN :age_1 AND :age_2',
        params: { age_1: 1, age_2: 10 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age BETWEEN ? AND ?', params: [1, 10] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.age BETWEEN $1 AND $2', params: [1, 10] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age BETWEEN ? AND ?', params: [1, 10] },
    }));
  test('notBetween', () =>
    expectSQL(where(users.c.age.notBetween(1, 10)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age NOT BETWEEN :age_1 AND :age_2',
        params: { age_1: 1, age_2: 10 },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.age NOT BETWEEN ? AND ?', params: [1, 10] },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.age NOT BETWEEN $1 AND $2',
        params: [1, 10],
      },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.age NOT BETWEEN ? AND ?', params: [1, 10] },
    }));
  test('between symmetric', () =>
    expectSQL(where(users.c.age.between(10, 1, true)), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN SYMMETRIC :age_1 AND :age_2',
        params: { age_1: 10, age_2: 1 },
      },
      sqlite: { error: "BETWEEN SYMMETRIC is not supported by the 'sqlite' dialect." },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN SYMMETRIC $1 AND $2',
        params: [10, 1],
      },
      mysql: { error: "BETWEEN SYMMETRIC is not supported by the 'mysql' dialect." },
    }));
  test('between columns', () =>
    expectSQL(where(users.c.age.between(users.c.id, users.c.id.add(5))), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN users.id AND users.id + :id_1',
        params: { id_1: 5 },
      },
      sqlite: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN users.id AND users.id + ?',
        params: [5],
      },
      postgresql: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN users.id AND users.id + $1',
        params: [5],
      },
      mysql: {
        sql: 'SELECT users.id FROM users WHERE users.age BETWEEN users.id AND users.id + ?',
        params: [5],
      },
    }));
});
