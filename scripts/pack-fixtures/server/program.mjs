// Scenarios core+postgres and core+mysql, ESM: the PRODUCT.md Core contract on a live server, from
// the packed @athanor/core + the scenario's dialect package (@athanor/dialect-postgres or
// @athanor/dialect-mysql), asserting what the contract's comments promise. ATHANOR_DB_URL names
// the server (scripts/pack-test.mjs sets it per scenario: a postgresql:// or a mysql:// URL).
// Table names carry this run's prefix (ATHANOR_PACK_PREFIX, set by scripts/pack-test.mjs) and
// the tables are dropped at the end, whatever happened.
import assert from 'node:assert/strict';
import { MetaData, Table, Column, Integer, String, ForeignKey, createEngine,
         select, insert, func, and, desc } from '@athanor/core';

const url = process.env.ATHANOR_DB_URL;
if (!url) throw new Error('Set ATHANOR_DB_URL to the server to run on (a postgresql:// or mysql:// URL).');
const p = process.env.ATHANOR_PACK_PREFIX || `athpk${process.pid}_`;

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

let failure;
try {
  await contract();
} catch (error) {
  failure = error;
}
// Drop what was created and close the pool whatever happened; the first error is the one reported.
try {
  await metadata.dropAll(engine);
} catch (error) {
  failure ??= error;
}
try {
  await engine.dispose();
} catch (error) {
  failure ??= error;
}
if (failure) throw failure;

async function contract() {
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

  // The inserted rows read back, with their generated primary keys.
  await engine.connect(async (conn) => {
    const result = await conn.execute(select(users.c.id, users.c.name, users.c.age).orderBy(users.c.id));
    assert.deepStrictEqual(plain(result.all()), [
      { id: 1, name: 'spongebob', age: 30 },
      { id: 2, name: 'sandy', age: 25 },
    ]);
  });

  const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
    .join(addresses, users.c.id.eq(addresses.c.userId))
    .where(and(users.c.age.gt(20), users.c.name.like('s%')))
    .groupBy(users.c.name)
    .orderBy(desc('n'));

  console.log(stmt.toString());                       // readable SQL, default dialect
  assert.match(stmt.toString(), /^\s*SELECT\b/i);
  const { sql, params } = stmt.compile(engine.dialect);
  assert.match(sql, /^\s*SELECT\b/i);
  assert.ok(sql.includes('user_id') && !sql.includes('s%'), `compiled SQL: ${sql}`);
  assert.deepEqual(Array.isArray(params) ? params : Object.values(params), [20, 's%'], 'the bound values, in order');

  await engine.connect(async (conn) => {
    const result = await conn.execute(stmt);
    const rows = result.all();
    console.log(rows);                                // [{ name: 'sandy', n: 2 }, { name: 'spongebob', n: 1 }]
    // `n` is a number (count() is Integer), not a bigint or a numeric string from the driver.
    assert.deepStrictEqual(plain(rows), [{ name: 'sandy', n: 2 }, { name: 'spongebob', n: 1 }]);
  });
}

/** Rows as plain objects (a row class is fine; its own enumerable values are what is compared). */
function plain(rows) {
  assert.ok(Array.isArray(rows), `result.all() must return an array, got ${typeof rows}`);
  return rows.map((r) => ({ ...r }));
}
