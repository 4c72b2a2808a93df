/** MERGE: PostgreSQL (15+) and the generic dialect render it; SQLite and MySQL refuse it naming their upsert. */
import { UnsupportedCompilationError, merge } from '@athanor/core';
import { PostgresDialect } from '@athanor/dialect-postgres';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts } = schema();
const stmt = merge(users)
  .using(posts, users.c.id.eq(posts.c.userId))
  .whenMatchedThenUpdate({ age: 30 }, { where: users.c.age.isNull() })
  .whenNotMatchedThenInsert({ id: posts.c.userId, name: posts.c.title });

test('MERGE INTO ... USING ... WHEN MATCHED AND ... THEN UPDATE ... WHEN NOT MATCHED THEN INSERT', () =>
  expectSQL(stmt, {
    generic: {
      sql: 'MERGE INTO users USING posts ON users.id = posts.user_id WHEN MATCHED AND users.age IS NULL THEN UPDATE SET age = :age_1 WHEN NOT MATCHED THEN INSERT (id, name) VALUES (posts.user_id, posts.title)',
      params: { age_1: 30 },
    },
    sqlite: {
      error:
        'MERGE is not supported by SQLite. For an upsert use insert(t).values(...) with onConflictDoUpdate() from @athanor/dialect-sqlite; otherwise an UPDATE and an INSERT ... SELECT in one transaction.',
    },
    postgresql: {
      sql: 'MERGE INTO users USING posts ON users.id = posts.user_id WHEN MATCHED AND users.age IS NULL THEN UPDATE SET age = $1 WHEN NOT MATCHED THEN INSERT (id, name) VALUES (posts.user_id, posts.title)',
      params: [30],
    },
    mysql: {
      error:
        'MERGE is not supported by MySQL. For an upsert use insert(t).values(...) with onDuplicateKeyUpdate() from @athanor/dialect-mysql; otherwise an UPDATE and an INSERT ... SELECT in one transaction.',
    },
  }));

test('PostgreSQL before 15 refuses MERGE, naming ON CONFLICT', () => {
  const pg14 = new PostgresDialect();
  (pg14 as { serverVersion: number[] }).serverVersion = [14, 11];
  expect(() => stmt.compile(pg14)).toThrow(UnsupportedCompilationError);
  expect(() => stmt.compile(pg14)).toThrow(/MERGE needs PostgreSQL 15 or later; this server is 14.11.*onConflictDoUpdate/);
});

test('a MERGE without USING or without a WHEN clause is refused', () => {
  expect(() => merge(users).whenMatchedThenDelete().compile()).toThrow(/needs \.using\(source, on\)/);
  expect(() => merge(users).using(posts, users.c.id.eq(posts.c.userId)).compile()).toThrow(/has no WHEN clause/);
});
