import { ArgumentError, type CompiledSQL, delete_, func, insert, select, update } from '@athanor/core';
import { schema } from './fixtures';

const { users, addresses, orders } = schema();
const c = (s: { compile(): CompiledSQL }) => s.compile() as { sql: string; params: any };

describe('insert', () => {
  test('single row; a client-side default fills a missing column', () => {
    expect(c(insert(users).values({ name: 'a', age: 3 }))).toEqual({
      sql: 'INSERT INTO users (name, age, active) VALUES (:name_1, :age_1, :active_1)',
      params: { name_1: 'a', age_1: 3, active_1: true },
    });
  });
  test('multi-row VALUES', () => {
    expect(c(insert(addresses).values([{ userId: 1, email: 'a' }, { userId: 2, email: 'b' }]))).toEqual({
      sql: 'INSERT INTO addresses (user_id, email) VALUES (:userId_1, :email_1), (:userId_2, :email_2)',
      params: { userId_1: 1, email_1: 'a', userId_2: 2, email_2: 'b' },
    });
  });
  test('from a select', () => {
    expect(c(insert(addresses).fromSelect(['userId', 'email'], select(users.c.id, users.c.name)))).toEqual({
      sql: 'INSERT INTO addresses (user_id, email) SELECT users.id, users.name FROM users',
      params: {},
    });
  });
  test('returning', () => {
    expect(c(insert(users).values({ name: 'a' }).returning(users.c.id)).sql).toBe(
      'INSERT INTO users (name, active) VALUES (:name_1, :active_1) RETURNING users.id',
    );
  });
  test('an unknown column key is an error naming the table and the columns', () => {
    expect(() => insert(users).values({ nmae: 'x' } as any)).toThrow(ArgumentError);
    expect(() => insert(users).values({ nmae: 'x' } as any)).toThrow(/Unknown column key 'nmae'.*'users'.*id, name, age, active/);
  });
  test('multi-row values with different keys are refused', () => {
    expect(() => insert(addresses).values([{ userId: 1, email: 'a' }, { email: 'b', userId: 2 }])).toThrow(/same keys, in the same order/);
  });
  test('expressions as values', () => {
    expect(c(insert(orders).values({ userId: 1, placedAt: func.now() })).sql).toBe('INSERT INTO orders (user_id, placed_at) VALUES (:userId_1, now())');
  });
});

describe('update and delete', () => {
  test('update with expressions and where', () => {
    expect(c(update(users).values({ age: users.c.age.add(1) }).where(users.c.id.eq(5)))).toEqual({
      sql: 'UPDATE users SET age = users.age + :age_1 WHERE users.id = :id_1',
      params: { age_1: 1, id_1: 5 },
    });
  });
  test('update ... FROM inferred from the where clause', () => {
    expect(c(update(users).values({ name: 'x' }).where(users.c.id.eq(addresses.c.userId), addresses.c.email.eq('e'))).sql).toBe(
      'UPDATE users SET name = :name_1 FROM addresses WHERE users.id = addresses.user_id AND addresses.email = :email_1',
    );
  });
  test('update returning', () => {
    expect(c(update(users).values({ name: 'x' }).returning(users.c.id, users.c.name)).sql).toBe('UPDATE users SET name = :name_1 RETURNING users.id, users.name');
  });
  test('delete with where, using, returning; table.delete()', () => {
    expect(c(delete_(users).where(users.c.id.eq(1)))).toEqual({ sql: 'DELETE FROM users WHERE users.id = :id_1', params: { id_1: 1 } });
    expect(c(delete_(users).where(users.c.id.eq(addresses.c.userId))).sql).toBe('DELETE FROM users USING addresses WHERE users.id = addresses.user_id');
    expect(c(delete_(users).returning(users.c.id)).sql).toBe('DELETE FROM users RETURNING users.id');
  });
  test('table.select/insert/update/delete', () => {
    expect(c(users.select().where(users.c.id.eq(1))).sql).toBe('SELECT users.id, users.name, users.age, users.active FROM users WHERE users.id = :id_1');
    expect(c(users.insert().values({ name: 'n' })).sql).toBe('INSERT INTO users (name, active) VALUES (:name_1, :active_1)');
    expect(c(users.update().values({ age: 1 })).sql).toBe('UPDATE users SET age = :age_1');
    expect(c(users.delete().where(users.c.age.lt(3))).sql).toBe('DELETE FROM users WHERE users.age < :age_1');
  });
  test('update without values is an error', () => {
    expect(() => c(update(users))).toThrow(/has no values/);
  });
});
