/** adaptToAlias(): an expression written against a table, re-targeted onto an alias of it. */
import { ArgumentError, Column, ForeignKey, Integer, MetaData, String, Table, adaptToAlias, cacheKeyOf, func, select } from '../src';

const md = new MetaData();
const users = new Table('users', md, { id: Column(Integer, { primaryKey: true }), first: Column(String(20)), last: Column(String(20)) });
const posts = new Table('posts', md, { id: Column(Integer, { primaryKey: true }), userId: Column(Integer, ForeignKey('users.id'), { name: 'user_id' }) });

test('columns of the table become the alias columns; other tables and unchanged parts are kept', () => {
  const u2 = users.alias('u2');
  const full = users.c.first.concat(' ').concat(users.c.last);
  const adapted = adaptToAlias(full, users, u2);
  expect(select(u2.c.id, adapted.label('full')).toString()).toBe('SELECT u2.id, u2.first || :first_1 || u2.last AS "full" FROM users AS u2');
  // The original is not changed, and an expression not naming the table comes back as it is.
  expect(select(full.label('full')).toString()).toBe('SELECT users.first || :first_1 || users.last AS "full" FROM users');
  const other = posts.c.id.eq(1);
  expect(adaptToAlias(other, users, u2)).toBe(other);
});

test('a correlated scalar subquery correlates with the alias in the enclosing query', () => {
  const u2 = users.alias('u2');
  const count = select(func.count()).where(posts.c.userId.eq(users.c.id)).scalarSubquery();
  const adapted = adaptToAlias(count, users, u2);
  expect(select(u2.c.id, adapted.label('n')).toString()).toBe(
    'SELECT u2.id, (SELECT count(*) AS count FROM posts WHERE posts.user_id = u2.id) AS n FROM users AS u2',
  );
  expect(cacheKeyOf(select(adapted.label('n')))).not.toEqual(cacheKeyOf(select(count.label('n'))));
});

test('a column the alias lacks is refused', () => {
  const sub = select(users.c.id).subquery('s');
  expect(() => adaptToAlias(users.c.first, users, sub)).toThrow(ArgumentError);
});

test('correlate: a subquery naming the table correlates to the alias only, whatever else the enclosing query joins', () => {
  const count = select(func.count()).where(posts.c.userId.eq(users.c.id)).scalarSubquery();
  // Joined with posts, auto-correlation would take posts out of the subquery's FROM as well.
  const onTable = adaptToAlias(count, users, users, { correlate: true });
  expect(select(users.c.id, onTable.label('n')).join(posts).toString()).toBe(
    'SELECT users.id, (SELECT count(*) AS count FROM posts WHERE posts.user_id = users.id) AS n FROM users JOIN posts ON posts.user_id = users.id',
  );
  expect(() => select(users.c.id, count.label('n')).join(posts).toString()).toThrow(/auto-correlation/);
  const u2 = users.alias('u2');
  const onAlias = adaptToAlias(count, users, u2, { correlate: true });
  expect(select(posts.c.id, onAlias.label('n')).join(u2, posts.c.userId.eq(u2.c.id)).toString()).toBe(
    'SELECT posts.id, (SELECT count(*) AS count FROM posts WHERE posts.user_id = u2.id) AS n FROM posts JOIN users AS u2 ON posts.user_id = u2.id',
  );
  // A subquery that says how it correlates keeps it.
  const explicit = select(func.count()).where(posts.c.userId.eq(users.c.id)).correlate().scalarSubquery();
  expect(adaptToAlias(explicit, users, users, { correlate: true })).toBe(explicit);
});

test('a subquery correlated to the table by name is correlated to the alias', () => {
  const u2 = users.alias('u2');
  const count = select(func.count()).where(posts.c.userId.eq(users.c.id)).correlate(users).scalarSubquery();
  expect(select(u2.c.id, adaptToAlias(count, users, u2).label('n')).toString()).toBe(
    'SELECT u2.id, (SELECT count(*) AS count FROM posts WHERE posts.user_id = u2.id) AS n FROM users AS u2',
  );
  const except = select(func.count()).where(posts.c.userId.eq(users.c.id)).correlateExcept(users).scalarSubquery();
  expect(select(u2.c.id, adaptToAlias(except, users, u2).label('n')).toString()).toBe(
    'SELECT u2.id, (SELECT count(*) AS count FROM posts, users AS u2 WHERE posts.user_id = u2.id) AS n FROM users AS u2',
  );
});
