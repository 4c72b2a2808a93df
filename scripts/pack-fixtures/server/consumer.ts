// Scenarios core+postgres and core+mysql, TypeScript as ESM (package "type": "module"): the Core
// contract as written in PRODUCT.md, with the "import" types. Type-checked only (tsc --noEmit), never run.
import { MetaData, Table, Column, Integer, String, ForeignKey, createEngine,
         select, insert, func, and, desc } from '@athanor/core';

const p = process.env.ATHANOR_PACK_PREFIX || 'athpk_';
const url = process.env.ATHANOR_DB_URL;
if (!url) throw new Error('Set ATHANOR_DB_URL to the server to run on (a postgresql:// or mysql:// URL).');
const engine = createEngine(url);
const metadata = new MetaData();

const users = new Table(`${p}users`, metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  age: Column(Integer),
});

const addresses = new Table(`${p}addresses`, metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey(`${p}users.id`, { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
  email: Column(String(100), { nullable: false, unique: true }),
});

await metadata.createAll(engine);

await engine.begin(async (conn) => {
  await conn.execute(insert(users), [
    { name: 'spongebob', age: 30 },
    { name: 'sandy', age: 25 },
  ]);
  await conn.execute(insert(addresses), [
    { userId: 1, email: 'spongebob@example.com' },
    { userId: 2, email: 'sandy@example.com' },
    { userId: 2, email: 'sandy@example.org' },
  ]);
});

const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
  .join(addresses, users.c.id.eq(addresses.c.userId))
  .where(and(users.c.age.gt(20), users.c.name.like('s%')))
  .groupBy(users.c.name)
  .orderBy(desc('n'));

console.log(stmt.toString());                       // readable SQL, default dialect
const { sql, params } = stmt.compile(engine.dialect);
console.log(sql, params);

await engine.connect(async (conn) => {
  const result = await conn.execute(stmt);
  const rows: { name: string; n: number }[] = result.all();
  console.log(rows);                                // [{ name: 'sandy', n: 2 }, { name: 'spongebob', n: 1 }]
  // @ts-expect-error the row type comes from the statement: `name` is a string (not any, not unknown)
  const wrong: { name: number; n: number }[] = result.all();
  console.log(wrong);

  const people = (await conn.execute(select(users.c.id, users.c.name, users.c.age))).all();
  // A primary key and a `nullable: false` column are never null; a nullable column is `T | null`.
  const typed: { id: number; name: string; age: number | null }[] = people;
  // @ts-expect-error `age` is nullable, so it is not a plain number
  const notNull: { age: number }[] = people;
  console.log(typed, notNull);
});

await metadata.dropAll(engine);
await engine.dispose();
