/** INSERT / UPDATE / DELETE per dialect, with RETURNING or its refusal (MariaDB by version). */
import { type ClauseElement, delete_, func, insert, select, update } from '@athanor/core';
import { MySQLDialect } from '@athanor/dialect-mysql';
import { expectSQL, outcome } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts } = schema();

describe('insert', () => {
  test('single row', () =>
    expectSQL(insert(users).values({ name: 'a', age: 1 }), {
      generic: {
        sql: 'INSERT INTO users (name, age) VALUES (:name_1, :age_1)',
        params: { name_1: 'a', age_1: 1 },
      },
      sqlite: { sql: 'INSERT INTO users (name, age) VALUES (?, ?)', params: ['a', 1] },
      postgresql: { sql: 'INSERT INTO users (name, age) VALUES ($1, $2) RETURNING users.id', params: ['a', 1] },
      mysql: { sql: 'INSERT INTO users (name, age) VALUES (?, ?)', params: ['a', 1] },
    }));
  test('single row with explicit id', () =>
    expectSQL(insert(users).values({ id: 7, name: 'a' }), {
      generic: {
        sql: 'INSERT INTO users (id, name) VALUES (:id_1, :name_1)',
        params: { id_1: 7, name_1: 'a' },
      },
      sqlite: { sql: 'INSERT INTO users (id, name) VALUES (?, ?)', params: [7, 'a'] },
      postgresql: { sql: 'INSERT INTO users (id, name) VALUES ($1, $2) RETURNING users.id', params: [7, 'a'] },
      mysql: { sql: 'INSERT INTO users (id, name) VALUES (?, ?)', params: [7, 'a'] },
    }));
  test('multi-row', () =>
    expectSQL(
      insert(users).values([
        { name: 'a', age: 1 },
        { name: 'b', age: 2 },
        { name: 'c', age: 3 },
      ]),
      {
        generic: {
          sql: 'INSERT INTO users (name, age) VALUES (:name_1, :age_1), (:name_2, :age_2), (:name_3, :age_3)',
          params: { name_1: 'a', age_1: 1, name_2: 'b', age_2: 2, name_3: 'c', age_3: 3 },
        },
        sqlite: {
          sql: 'INSERT INTO users (name, age) VALUES (?, ?), (?, ?), (?, ?)',
          params: ['a', 1, 'b', 2, 'c', 3],
        },
        postgresql: {
          sql: 'INSERT INTO users (name, age) VALUES ($1, $2), ($3, $4), ($5, $6)',
          params: ['a', 1, 'b', 2, 'c', 3],
        },
        mysql: {
          sql: 'INSERT INTO users (name, age) VALUES (?, ?), (?, ?), (?, ?)',
          params: ['a', 1, 'b', 2, 'c', 3],
        },
      },
    ));
  test('null value', () =>
    expectSQL(insert(users).values({ name: 'a', age: null }), {
      generic: {
        sql: 'INSERT INTO users (name, age) VALUES (:name_1, :age_1)',
        params: { name_1: 'a', age_1: null },
      },
      sqlite: { sql: 'INSERT INTO users (name, age) VALUES (?, ?)', params: ['a', null] },
      postgresql: { sql: 'INSERT INTO users (name, age) VALUES ($1, $2) RETURNING users.id', params: ['a', null] },
      mysql: { sql: 'INSERT INTO users (name, age) VALUES (?, ?)', params: ['a', null] },
    }));
  test('expression value', () =>
    expectSQL(insert(users).values({ name: func.upper('a') as never, age: 1 }), {
      generic: {
        sql: 'INSERT INTO users (name, age) VALUES (upper(:param_1), :age_1)',
        params: { param_1: 'a', age_1: 1 },
      },
      sqlite: { sql: 'INSERT INTO users (name, age) VALUES (upper(?), ?)', params: ['a', 1] },
      postgresql: { sql: 'INSERT INTO users (name, age) VALUES (upper($1), $2) RETURNING users.id', params: ['a', 1] },
      mysql: { sql: 'INSERT INTO users (name, age) VALUES (upper(?), ?)', params: ['a', 1] },
    }));
  test('from select', () =>
    expectSQL(
      insert(users).fromSelect(['name', 'age'], select(posts.c.title, posts.c.id).where(posts.c.id.gt(5))),
      {
        generic: {
          sql: 'INSERT INTO users (name, age) SELECT posts.title, posts.id FROM posts WHERE posts.id > :id_1',
          params: { id_1: 5 },
        },
        sqlite: {
          sql: 'INSERT INTO users (name, age) SELECT posts.title, posts.id FROM posts WHERE posts.id > ?',
          params: [5],
        },
        postgresql: {
          sql: 'INSERT INTO users (name, age) SELECT posts.title, posts.id FROM posts WHERE posts.id > $1',
          params: [5],
        },
        mysql: {
          sql: 'INSERT INTO users (name, age) SELECT posts.title, posts.id FROM posts WHERE posts.id > ?',
          params: [5],
        },
      },
    ));
  test('returning one column', () =>
    expectSQL(insert(users).values({ name: 'a' }).returning(users.c.id), {
      generic: {
        sql: 'INSERT INTO users (name) VALUES (:name_1) RETURNING users.id',
        params: { name_1: 'a' },
      },
      sqlite: { sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id', params: ['a'] },
      postgresql: { sql: 'INSERT INTO users (name) VALUES ($1) RETURNING users.id', params: ['a'] },
      mysql: {
        error:
          'INSERT ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it). Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
      },
    }));
  test('returning several', () =>
    expectSQL(insert(users).values({ name: 'a' }).returning(users.c.id, users.c.name), {
      generic: {
        sql: 'INSERT INTO users (name) VALUES (:name_1) RETURNING users.id, users.name',
        params: { name_1: 'a' },
      },
      sqlite: { sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id, users.name', params: ['a'] },
      postgresql: {
        sql: 'INSERT INTO users (name) VALUES ($1) RETURNING users.id, users.name',
        params: ['a'],
      },
      mysql: {
        error:
          'INSERT ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it). Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
      },
    }));
  test('returning whole table', () =>
    expectSQL(insert(users).values({ name: 'a' }).returning(users), {
      generic: {
        sql: 'INSERT INTO users (name) VALUES (:name_1) RETURNING users.id, users.name, users.age',
        params: { name_1: 'a' },
      },
      sqlite: {
        sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id, users.name, users.age',
        params: ['a'],
      },
      postgresql: {
        sql: 'INSERT INTO users (name) VALUES ($1) RETURNING users.id, users.name, users.age',
        params: ['a'],
      },
      mysql: {
        error:
          'INSERT ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it). Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
      },
    }));
  test('returning label', () =>
    expectSQL(insert(users).values({ name: 'a' }).returning(users.c.id.label('newId')), {
      generic: {
        sql: 'INSERT INTO users (name) VALUES (:name_1) RETURNING users.id AS "newId"',
        params: { name_1: 'a' },
      },
      sqlite: { sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id AS "newId"', params: ['a'] },
      postgresql: {
        sql: 'INSERT INTO users (name) VALUES ($1) RETURNING users.id AS "newId"',
        params: ['a'],
      },
      mysql: {
        error:
          'INSERT ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it). Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
      },
    }));
  test('multi-row returning', () =>
    expectSQL(
      insert(users)
        .values([{ name: 'a' }, { name: 'b' }])
        .returning(users.c.id),
      {
        generic: {
          sql: 'INSERT INTO users (name) VALUES (:name_1), (:name_2) RETURNING users.id',
          params: { name_1: 'a', name_2: 'b' },
        },
        sqlite: { sql: 'INSERT INTO users (name) VALUES (?), (?) RETURNING users.id', params: ['a', 'b'] },
        postgresql: {
          sql: 'INSERT INTO users (name) VALUES ($1), ($2) RETURNING users.id',
          params: ['a', 'b'],
        },
        mysql: {
          error:
            'INSERT ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it). Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
        },
      },
    ));
});

describe('update', () => {
  test('set value', () =>
    expectSQL(update(users).values({ name: 'x' }), {
      generic: { sql: 'UPDATE users SET name = :name_1', params: { name_1: 'x' } },
      sqlite: { sql: 'UPDATE users SET name = ?', params: ['x'] },
      postgresql: { sql: 'UPDATE users SET name = $1', params: ['x'] },
      mysql: { sql: 'UPDATE users SET name = ?', params: ['x'] },
    }));
  test('set with where', () =>
    expectSQL(update(users).values({ name: 'x', age: 3 }).where(users.c.id.eq(1)), {
      generic: {
        sql: 'UPDATE users SET name = :name_1, age = :age_1 WHERE users.id = :id_1',
        params: { name_1: 'x', age_1: 3, id_1: 1 },
      },
      sqlite: { sql: 'UPDATE users SET name = ?, age = ? WHERE users.id = ?', params: ['x', 3, 1] },
      postgresql: { sql: 'UPDATE users SET name = $1, age = $2 WHERE users.id = $3', params: ['x', 3, 1] },
      mysql: { sql: 'UPDATE users SET name = ?, age = ? WHERE users.id = ?', params: ['x', 3, 1] },
    }));
  test('set expression', () =>
    expectSQL(
      update(users)
        .values({ age: users.c.age.add(1) })
        .where(users.c.id.eq(1)),
      {
        generic: {
          sql: 'UPDATE users SET age = users.age + :age_1 WHERE users.id = :id_1',
          params: { age_1: 1, id_1: 1 },
        },
        sqlite: { sql: 'UPDATE users SET age = users.age + ? WHERE users.id = ?', params: [1, 1] },
        postgresql: { sql: 'UPDATE users SET age = users.age + $1 WHERE users.id = $2', params: [1, 1] },
        mysql: { sql: 'UPDATE users SET age = users.age + ? WHERE users.id = ?', params: [1, 1] },
      },
    ));
  test('set null', () =>
    expectSQL(update(users).values({ age: null }).where(users.c.id.eq(1)), {
      generic: {
        sql: 'UPDATE users SET age = :age_1 WHERE users.id = :id_1',
        params: { age_1: null, id_1: 1 },
      },
      sqlite: { sql: 'UPDATE users SET age = ? WHERE users.id = ?', params: [null, 1] },
      postgresql: { sql: 'UPDATE users SET age = $1 WHERE users.id = $2', params: [null, 1] },
      mysql: { sql: 'UPDATE users SET age = ? WHERE users.id = ?', params: [null, 1] },
    }));
  test('set from scalar subquery', () =>
    expectSQL(
      update(users).values({
        age: select(func.count())
          .selectFrom(posts)
          .where(posts.c.userId.eq(users.c.id))
          .scalarSubquery() as never,
      }),
      {
        generic: {
          sql: 'UPDATE users SET age = (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id)',
          params: {},
        },
        sqlite: {
          sql: 'UPDATE users SET age = (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id)',
          params: [],
        },
        postgresql: {
          sql: 'UPDATE users SET age = (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id)',
          params: [],
        },
        mysql: {
          sql: 'UPDATE users SET age = (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id)',
          params: [],
        },
      },
    ));
  test('two where calls', () =>
    expectSQL(update(users).values({ name: 'x' }).where(users.c.id.gt(1)).where(users.c.age.lt(5)), {
      generic: {
        sql: 'UPDATE users SET name = :name_1 WHERE users.id > :id_1 AND users.age < :age_1',
        params: { name_1: 'x', id_1: 1, age_1: 5 },
      },
      sqlite: { sql: 'UPDATE users SET name = ? WHERE users.id > ? AND users.age < ?', params: ['x', 1, 5] },
      postgresql: {
        sql: 'UPDATE users SET name = $1 WHERE users.id > $2 AND users.age < $3',
        params: ['x', 1, 5],
      },
      mysql: { sql: 'UPDATE users SET name = ? WHERE users.id > ? AND users.age < ?', params: ['x', 1, 5] },
    }));
  test('returning', () =>
    expectSQL(
      update(users).values({ name: 'x' }).where(users.c.id.eq(1)).returning(users.c.id, users.c.name),
      {
        generic: {
          sql: 'UPDATE users SET name = :name_1 WHERE users.id = :id_1 RETURNING users.id, users.name',
          params: { name_1: 'x', id_1: 1 },
        },
        sqlite: {
          sql: 'UPDATE users SET name = ? WHERE users.id = ? RETURNING users.id, users.name',
          params: ['x', 1],
        },
        postgresql: {
          sql: 'UPDATE users SET name = $1 WHERE users.id = $2 RETURNING users.id, users.name',
          params: ['x', 1],
        },
        mysql: {
          error:
            'UPDATE ... RETURNING is not supported by MySQL 8.0.36 (neither MySQL nor MariaDB has it). Run a SELECT after the update instead.',
        },
      },
    ));
  test('update from another table', () =>
    expectSQL(
      update(users)
        .values({ name: posts.c.title as never })
        .from(posts)
        .where(posts.c.userId.eq(users.c.id), posts.c.id.eq(9)),
      {
        generic: {
          sql: 'UPDATE users SET name = posts.title FROM posts WHERE posts.user_id = users.id AND posts.id = :id_1',
          params: { id_1: 9 },
        },
        sqlite: {
          sql: 'UPDATE users SET name = posts.title FROM posts WHERE posts.user_id = users.id AND posts.id = ?',
          params: [9],
        },
        postgresql: {
          sql: 'UPDATE users SET name = posts.title FROM posts WHERE posts.user_id = users.id AND posts.id = $1',
          params: [9],
        },
        mysql: {
          sql: 'UPDATE users, posts SET users.name = posts.title WHERE posts.user_id = users.id AND posts.id = ?',
          params: [9],
        },
      },
    ));
  test('update from with returning', () =>
    expectSQL(
      update(users).values({ age: 1 }).from(posts).where(posts.c.userId.eq(users.c.id)).returning(users.c.id),
      {
        generic: {
          sql: 'UPDATE users SET age = :age_1 FROM posts WHERE posts.user_id = users.id RETURNING users.id',
          params: { age_1: 1 },
        },
        sqlite: {
          sql: 'UPDATE users SET age = ? FROM posts WHERE posts.user_id = users.id RETURNING users.id',
          params: [1],
        },
        postgresql: {
          sql: 'UPDATE users SET age = $1 FROM posts WHERE posts.user_id = users.id RETURNING users.id',
          params: [1],
        },
        mysql: {
          error:
            'UPDATE ... RETURNING is not supported by MySQL 8.0.36 (neither MySQL nor MariaDB has it). Run a SELECT after the update instead.',
        },
      },
    ));
  test('where in subquery', () =>
    expectSQL(
      update(users)
        .values({ age: 0 })
        .where(users.c.id.in(select(posts.c.userId))),
      {
        generic: {
          sql: 'UPDATE users SET age = :age_1 WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts)',
          params: { age_1: 0 },
        },
        sqlite: {
          sql: 'UPDATE users SET age = ? WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts)',
          params: [0],
        },
        postgresql: {
          sql: 'UPDATE users SET age = $1 WHERE users.id IN (SELECT posts.user_id AS "userId" FROM posts)',
          params: [0],
        },
        mysql: {
          sql: 'UPDATE users SET age = ? WHERE users.id IN (SELECT posts.user_id AS `userId` FROM posts)',
          params: [0],
        },
      },
    ));
});

describe('delete', () => {
  test('delete all', () =>
    expectSQL(delete_(users), {
      generic: { sql: 'DELETE FROM users', params: {} },
      sqlite: { sql: 'DELETE FROM users', params: [] },
      postgresql: { sql: 'DELETE FROM users', params: [] },
      mysql: { sql: 'DELETE FROM users', params: [] },
    }));
  test('delete where', () =>
    expectSQL(delete_(users).where(users.c.id.eq(1)), {
      generic: { sql: 'DELETE FROM users WHERE users.id = :id_1', params: { id_1: 1 } },
      sqlite: { sql: 'DELETE FROM users WHERE users.id = ?', params: [1] },
      postgresql: { sql: 'DELETE FROM users WHERE users.id = $1', params: [1] },
      mysql: { sql: 'DELETE FROM users WHERE users.id = ?', params: [1] },
    }));
  test('delete where and', () =>
    expectSQL(delete_(users).where(users.c.id.gt(1), users.c.age.isNull()), {
      generic: { sql: 'DELETE FROM users WHERE users.id > :id_1 AND users.age IS NULL', params: { id_1: 1 } },
      sqlite: { sql: 'DELETE FROM users WHERE users.id > ? AND users.age IS NULL', params: [1] },
      postgresql: { sql: 'DELETE FROM users WHERE users.id > $1 AND users.age IS NULL', params: [1] },
      mysql: { sql: 'DELETE FROM users WHERE users.id > ? AND users.age IS NULL', params: [1] },
    }));
  test('returning', () =>
    expectSQL(delete_(users).where(users.c.id.eq(1)).returning(users.c.name), {
      generic: { sql: 'DELETE FROM users WHERE users.id = :id_1 RETURNING users.name', params: { id_1: 1 } },
      sqlite: { sql: 'DELETE FROM users WHERE users.id = ? RETURNING users.name', params: [1] },
      postgresql: { sql: 'DELETE FROM users WHERE users.id = $1 RETURNING users.name', params: [1] },
      mysql: {
        error:
          'DELETE ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it). Run a SELECT after the delete instead.',
      },
    }));
  test('using another table', () =>
    expectSQL(delete_(posts).using(users).where(posts.c.userId.eq(users.c.id), users.c.name.eq('x')), {
      generic: {
        sql: 'DELETE FROM posts USING users WHERE posts.user_id = users.id AND users.name = :name_1',
        params: { name_1: 'x' },
      },
      sqlite: { error: "DELETE ... USING is not supported by the 'sqlite' dialect." },
      postgresql: {
        sql: 'DELETE FROM posts USING users WHERE posts.user_id = users.id AND users.name = $1',
        params: ['x'],
      },
      mysql: {
        sql: 'DELETE posts FROM posts, users WHERE posts.user_id = users.id AND users.name = ?',
        params: ['x'],
      },
    }));
  test('using with returning', () =>
    expectSQL(delete_(posts).using(users).where(posts.c.userId.eq(users.c.id)).returning(posts.c.id), {
      generic: {
        sql: 'DELETE FROM posts USING users WHERE posts.user_id = users.id RETURNING posts.id',
        params: {},
      },
      sqlite: { error: "DELETE ... USING is not supported by the 'sqlite' dialect." },
      postgresql: {
        sql: 'DELETE FROM posts USING users WHERE posts.user_id = users.id RETURNING posts.id',
        params: [],
      },
      mysql: { error: "DELETE ... RETURNING with other tables is not supported by the 'mysql' dialect." },
    }));
  test('where exists', () =>
    expectSQL(delete_(users).where(select(posts.c.id).where(posts.c.userId.eq(users.c.id)).exists()), {
      generic: {
        sql: 'DELETE FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: {},
      },
      sqlite: {
        sql: 'DELETE FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
      postgresql: {
        sql: 'DELETE FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
      mysql: {
        sql: 'DELETE FROM users WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)',
        params: [],
      },
    }));
});

describe('RETURNING on MariaDB depends on the server version', () => {
  const stmts: Record<string, ClauseElement> = {
    insert: insert(users).values({ name: 'a' }).returning(users.c.id),
    update: update(users).values({ name: 'a' }).returning(users.c.id),
    delete: delete_(users).where(users.c.id.eq(1)).returning(users.c.id),
  };
  const maria = (version: number[]) => new MySQLDialect({ serverVersion: version, mariadb: true });
  const run = (version: number[]) =>
    Object.fromEntries(Object.entries(stmts).map(([k, s]) => [k, outcome(s, maria(version))]));
  const noUpdate = (v: string) => ({
    error: `UPDATE ... RETURNING is not supported by MariaDB ${v} (neither MySQL nor MariaDB has it). Run a SELECT after the update instead.`,
  });
  test('MariaDB 10.4 refuses all three', () =>
    expect(run([10, 4, 0])).toEqual({
      insert: {
        error:
          'INSERT ... RETURNING needs MariaDB 10.5 or later; this server is MariaDB 10.4.0. Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
      },
      update: noUpdate('10.4.0'),
      delete: {
        error:
          'DELETE ... RETURNING needs MariaDB 10.5 or later; this server is MariaDB 10.4.0. Run a SELECT after the delete instead.',
      },
    }));
  for (const v of [
    [10, 5, 0],
    [11, 4, 0],
  ]) {
    test(`MariaDB ${v.join('.')}: INSERT and DELETE RETURNING, no UPDATE RETURNING`, () =>
      expect(run(v)).toEqual({
        insert: { sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id', params: ['a'] },
        update: noUpdate(v.join('.')),
        delete: { sql: 'DELETE FROM users WHERE users.id = ? RETURNING users.id', params: [1] },
      }));
  }
});
