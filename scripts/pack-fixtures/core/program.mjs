// Scenario core-only, ESM: only @athanor/core is installed. Build the PRODUCT.md Core contract's
// statement and compile it to SQL text + bound parameters for the default dialect (no engine,
// no driver, no dialect package).
import assert from 'node:assert/strict';
import { MetaData, Table, Column, Integer, String, ForeignKey, select, func, and, desc, createEngine, NoSuchModuleError } from '@athanor/core';

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

const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
  .join(addresses, users.c.id.eq(addresses.c.userId))
  .where(and(users.c.age.gt(20), users.c.name.like('s%')))
  .groupBy(users.c.name)
  .orderBy(desc('n'));

const text = stmt.toString(); // readable SQL, default dialect
console.log(text);
assert.equal(typeof text, 'string');
assert.equal(`${stmt}`, text, 'a template literal renders the same SQL as toString()');
assertSqlShape(text);

const { sql, params } = stmt.compile(); // no dialect given: the default dialect
console.log(sql, params);
assert.equal(typeof sql, 'string');
assertSqlShape(sql);
// Values are always bound parameters, never inlined.
assert.ok(!sql.includes('s%') && !/\b20\b/.test(sql), `values must be bound, not inlined: ${sql}`);
assert.deepEqual(Array.isArray(params) ? params : Object.values(params), [20, 's%'], 'the bound values, in order');

// Without its dialect package installed, createEngine names the package to install.
assert.throws(
  () => createEngine('postgresql://user@127.0.0.1/db'),
  (e) => e instanceof NoSuchModuleError && e.message.includes('npm install @athanor/dialect-postgres'),
);

function assertSqlShape(s) {
  for (const re of [/^\s*SELECT\b/i, /\bJOIN\b/i, /\bWHERE\b/i, /\bLIKE\b/i, /\bGROUP BY\b/i, /\bORDER BY\b/i, /\bDESC\b/i, /\bcount\s*\(/i]) {
    assert.match(s, re);
  }
  for (const name of ['users', 'addresses', 'user_id', 'name', 'age']) assert.ok(s.includes(name), `"${name}" missing from: ${s}`);
  assert.ok(!s.includes('userId'), `the column key "userId" leaked into SQL; its database name is "user_id": ${s}`);
}
