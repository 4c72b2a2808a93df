// Scenario orm+sqlite, ESM: the PRODUCT.md ORM contract on in-memory SQLite, from the packed
// @athanor/core + @athanor/orm + @athanor/dialect-sqlite, asserting what its comments promise.
//
// Node 20 cannot parse `await using` (consumer.ts type-checks the contract exactly as written),
// so each `{ await using session = new Session(engine); ... }` block is written as what it means:
// `const session = ...; try { ... } finally { await session[Symbol.asyncDispose](); }`.
import assert from 'node:assert/strict';
import { Column, Integer, String, ForeignKey, createEngine, select } from '@athanor/core';
import { declarativeBase, relationship, Session, selectinload } from '@athanor/orm';

const Base = declarativeBase();                     // owns Base.metadata

class User extends Base.mapped('user_account', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  fullname: Column(String),
}) {}

class Address extends Base.mapped('address', {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String, { nullable: false }),
  userId: Column(Integer, ForeignKey('user_account.id'), { name: 'user_id', nullable: false }),
}) {}

Base.relationships(User, { addresses: relationship(Address, { backPopulates: 'user', cascade: 'all, delete-orphan' }) });
Base.relationships(Address, { user: relationship(User, { backPopulates: 'addresses' }) });

const engine = createEngine('sqlite://');
await Base.metadata.createAll(engine);

const ids = {};
{
  const session = new Session(engine);              // await using session = new Session(engine);
  try {
    const spongebob = new User({ name: 'spongebob', fullname: 'Spongebob Squarepants' });
    spongebob.addresses.push(new Address({ email: 'spongebob@example.com' }));
    const sandy = new User({ name: 'sandy', fullname: 'Sandy Cheeks' });
    sandy.addresses.push(new Address({ email: 'sandy@example.com' }), new Address({ email: 'sandy@example.org' }));
    session.addAll([spongebob, sandy]);
    await session.commit();                           // one unit of work: users first, then addresses
    ids.spongebob = spongebob.id;
    ids.sandy = sandy.id;
  } finally {
    await session[Symbol.asyncDispose]();
  }
}
assert.ok(Number.isInteger(ids.spongebob) && Number.isInteger(ids.sandy) && ids.spongebob !== ids.sandy,
  `the flush assigns the generated primary keys: ${JSON.stringify(ids)}`);

let orphanEmail;
{
  const session = new Session(engine);              // await using session = new Session(engine);
  try {
    const sandy = (await session.scalars(
      select(User).where(User.c.name.eq('sandy')).options(selectinload(User, 'addresses')),
    )).one();
    assert.ok(sandy instanceof User, 'session.scalars(select(User)) yields User instances');
    assert.equal(sandy.id, ids.sandy);
    const emails = sandy.addresses.map((a) => a.email);
    console.log(emails);                              // two emails, no further query
    assert.deepEqual([...emails].sort(), ['sandy@example.com', 'sandy@example.org']);
    const orphan = sandy.addresses.pop();             // delete-orphan: the address row goes at flush
    orphanEmail = orphan.email;
    sandy.fullname = 'Sandy C.';                      // dirty: one UPDATE at flush
    await session.commit();
    const again = await session.get(User, sandy.id);  // identity map: the same object
    console.log(again === sandy);                     // true
    assert.equal(again === sandy, true, 'identity map: session.get() returns the object the session already holds');
  } finally {
    await session[Symbol.asyncDispose]();
  }
}

// What the two units of work left in the database, read back through Core.
await engine.connect(async (conn) => {
  const users = (await conn.execute(select(User.c.id, User.c.name, User.c.fullname).orderBy(User.c.name))).all();
  assert.deepStrictEqual(plain(users), [
    { id: ids.sandy, name: 'sandy', fullname: 'Sandy C.' },
    { id: ids.spongebob, name: 'spongebob', fullname: 'Spongebob Squarepants' },
  ]);
  const addresses = (await conn.execute(select(Address.c.email, Address.c.userId.label('owner')).orderBy(Address.c.email))).all();
  assert.deepStrictEqual(plain(addresses), [
    { email: 'sandy@example.com', owner: ids.sandy },
    { email: 'sandy@example.org', owner: ids.sandy },
    { email: 'spongebob@example.com', owner: ids.spongebob },
  ].filter((a) => a.email !== orphanEmail), `the orphan ${orphanEmail} is deleted, the others keep their owner`);
});

await engine.dispose();

/** Rows as plain objects (a row class is fine; its own enumerable values are what is compared). */
function plain(rows) {
  assert.ok(Array.isArray(rows), `result.all() must return an array, got ${typeof rows}`);
  return rows.map((r) => ({ ...r }));
}
