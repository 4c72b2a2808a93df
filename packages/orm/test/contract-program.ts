/**
 * PRODUCT.md's "ORM — contract" program, as written; only the URL (plus engine options
 * for the test's own schema and SQL capture) and console.log are parameters.
 */
import { Column, type EngineOptions, ForeignKey, Integer, String, createEngine, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';

export async function contractProgram(url: string, engineOptions: EngineOptions, console: { log(value: unknown): void }) {
  const Base = declarativeBase(); // owns Base.metadata

  class User extends Base.mapped('user_account', {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(30), { nullable: false }),
    fullname: Column(String),
  }) {
    declare addresses: Address[];
  }

  class Address extends Base.mapped('address', {
    id: Column(Integer, { primaryKey: true }),
    email: Column(String, { nullable: false }),
    userId: Column(Integer, ForeignKey('user_account.id'), { name: 'user_id', nullable: false }),
  }) {
    declare user: User;
  }

  Base.relationships(User, { addresses: relationship(Address, { backPopulates: 'user', cascade: 'all, delete-orphan' }) });
  Base.relationships(Address, { user: relationship(User, { backPopulates: 'addresses' }) });

  const engine = createEngine(url, engineOptions);
  await Base.metadata.createAll(engine);

  {
    await using session = new Session(engine);
    const spongebob = new User({ name: 'spongebob', fullname: 'Spongebob Squarepants' });
    spongebob.addresses.push(new Address({ email: 'spongebob@example.com' }));
    const sandy = new User({ name: 'sandy', fullname: 'Sandy Cheeks' });
    sandy.addresses.push(new Address({ email: 'sandy@example.com' }), new Address({ email: 'sandy@example.org' }));
    session.addAll([spongebob, sandy]);
    await session.commit(); // one unit of work: users first, then addresses
  }

  {
    await using session = new Session(engine);
    const sandy = (await session.scalars(select(User).where(User.c.name.eq('sandy')).options(selectinload(User, 'addresses')))).one();
    console.log(sandy.addresses.map((a) => a.email)); // two emails, no further query
    sandy.addresses.pop(); // delete-orphan: the address row goes at flush
    sandy.fullname = 'Sandy C.'; // dirty: one UPDATE at flush
    await session.commit();
    const again = await session.get(User, sandy.id); // identity map: the same object
    console.log(again === sandy); // true
  }

  await engine.dispose();
}
