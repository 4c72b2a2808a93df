/**
 * `execute(insert(t), rows)`: an INSERT without VALUES takes its rows as parameters, typed as
 * `values()` types them (required columns, known keys, value types), one row or a list. Once
 * VALUES are given, the parameters are the statement's bound parameters again.
 */
import { Column, type Connection, Integer, MetaData, String, Table, bindparam, insert, select } from '../src/index';

const metadata = new MetaData();
const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  nickname: Column(String(30)),
  visits: Column(Integer, { nullable: false, default: 0 }),
});

export async function typed(conn: Connection) {
  await conn.execute(insert(users), { name: 'a' });
  await conn.execute(insert(users), [{ name: 'a' }, { name: 'b', nickname: null, visits: 3 }]);
  await conn.execute(insert(users).returning(users.c.id), [{ name: 'a' }]);
  await conn.first(insert(users).returning(users.c.id), { name: 'a' });

  // @ts-expect-error name is NOT NULL without a default: required in a single row
  await conn.execute(insert(users), { nickname: 'x' });
  // @ts-expect-error ...and in every row of an executemany list
  await conn.execute(insert(users), [{ name: 'a' }, { nickname: 'x' }]);
  // @ts-expect-error a misspelled key in an executemany list
  await conn.execute(insert(users), [{ name: 'a' }, { name: 'b', nickame: 'x' }]);
  // @ts-expect-error a misspelled key in a single row
  await conn.execute(insert(users), { name: 'a', nickame: 'x' });
  // @ts-expect-error a value of the wrong type
  await conn.execute(insert(users), [{ name: 5 }]);
  // @ts-expect-error through RETURNING too
  await conn.first(insert(users).returning(users.c.id), { nickname: 'x' });

  // VALUES with bound parameters: the parameters are theirs, not the table's.
  await conn.execute(insert(users).values({ name: bindparam('n') }), [{ n: 'a' }, { n: 'b' }]);
  // Other statements keep taking their bound parameters.
  await conn.execute(select(users).where(users.c.id.eq(bindparam('id'))), { id: 1 });
}
