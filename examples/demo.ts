/**
 * What Athanor does, on in-memory SQLite: a schema, DDL, inserts, a typed query with a
 * join and an aggregate, an update inside a transaction — printing each SQL statement
 * it runs (echo) and the rows that come back. Then one statement compiled for all three
 * dialects. Run it with `pnpm demo`.
 */
import {
  Column,
  ForeignKey,
  Integer,
  MetaData,
  String,
  Table,
  and,
  createEngine,
  desc,
  func,
  insert,
  select,
  update,
} from '@athanor/core';
import { MySQLDialect } from '@athanor/dialect-mysql';
import { PostgresDialect } from '@athanor/dialect-postgres';
import { SQLiteDialect } from '@athanor/dialect-sqlite';

const print = (line: string) => console.log(`  ${line}`);
const engine = createEngine('sqlite://', { echo: (sql) => print(`SQL> ${sql}`) });
const metadata = new MetaData();

const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  age: Column(Integer),
});
const addresses = new Table('addresses', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
  email: Column(String(100), { nullable: false, unique: true }),
});

console.log('1. Create the tables (in foreign-key order)');
await metadata.createAll(engine);

console.log('\n2. Insert rows: an executemany becomes one multi-row INSERT');
await engine.begin(async (conn) => {
  await conn.execute(insert(users), [
    { name: 'spongebob', age: 30 },
    { name: 'sandy', age: 25 },
    { name: 'patrick', age: 19 },
  ]);
  await conn.execute(insert(addresses), [
    { userId: 1, email: 'spongebob@example.com' },
    { userId: 2, email: 'sandy@example.com' },
    { userId: 2, email: 'sandy@example.org' },
  ]);
});

console.log('\n3. A typed query: rows are { name: string; n: number }');
const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
  .join(addresses, users.c.id.eq(addresses.c.userId))
  .where(and(users.c.age.gt(20), users.c.name.like('s%')))
  .groupBy(users.c.name)
  .orderBy(desc('n'));
const rows: { name: string; n: number }[] = await engine.connect(async (conn) => (await conn.execute(stmt)).all());
print(`rows: ${JSON.stringify(rows)}`);

console.log('\n4. An UPDATE in a transaction; rowcount is the number of matched rows');
const changed = await engine.begin(async (conn) => (await conn.execute(update(users).values({ age: users.c.age.add(1) }).where(users.c.age.lt(26)))).rowcount);
print(`rowcount: ${changed}`);
const ages = await engine.connect(async (conn) => (await conn.execute(select(users.c.name, users.c.age).orderBy(users.c.id))).all());
print(`ages: ${JSON.stringify(ages)}`);

console.log('\n5. The same query compiled for each dialect (no database needed)');
for (const dialect of [new SQLiteDialect(), new PostgresDialect(), new MySQLDialect()]) {
  const { sql, params } = stmt.compile(dialect);
  print(`${dialect.name.padEnd(10)} ${sql}`);
  print(`${''.padEnd(10)} params: ${JSON.stringify(params)}`);
}
print(`${'generic'.padEnd(10)} ${stmt}`);

await engine.dispose();
