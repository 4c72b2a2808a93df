// Scenario orm+sqlite, TypeScript as ESM (package "type": "module"): the ORM contract exactly as
// PRODUCT.md writes it (`await using` included), with the "import" types. Type-checked only.
import { Column, Integer, String, ForeignKey, createEngine, select } from '@athanor/core';
import { declarativeBase, relationship, Session, selectinload } from '@athanor/orm';

type IsAny<T> = 0 extends 1 & T ? true : false;

const Base = declarativeBase();                     // owns Base.metadata

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

const engine = createEngine('sqlite://');
await Base.metadata.createAll(engine);

{
  await using session = new Session(engine);
  const spongebob = new User({ name: 'spongebob', fullname: 'Spongebob Squarepants' });
  spongebob.addresses.push(new Address({ email: 'spongebob@example.com' }));
  const sandy = new User({ name: 'sandy', fullname: 'Sandy Cheeks' });
  sandy.addresses.push(new Address({ email: 'sandy@example.com' }), new Address({ email: 'sandy@example.org' }));
  session.addAll([spongebob, sandy]);
  await session.commit();                           // one unit of work: users first, then addresses
}

{
  await using session = new Session(engine);
  const sandy = (await session.scalars(
    select(User).where(User.c.name.eq('sandy')).options(selectinload(User, 'addresses')),
  )).one();
  console.log(sandy.addresses.map((a) => a.email));    // two emails, no further query
  sandy.addresses.pop();                            // delete-orphan: the address row goes at flush
  sandy.fullname = 'Sandy C.';                      // dirty: one UPDATE at flush
  await session.commit();
  const again = await session.get(User, sandy.id);  // identity map: the same object
  console.log(again === sandy);                     // true

  // Static types of the mapped columns (not `any`): a primary key is never null, a column
  // without `nullable: false` is `T | null`, and a query for User yields User.
  const loaded: User = sandy;
  const id: number = sandy.id;
  const name: string = sandy.name;
  const fullname: string | null = sandy.fullname;
  const emails: string[] = sandy.addresses.map((a) => a.email);
  const sandyIsTyped: IsAny<typeof sandy> = false;
  const nameIsTyped: IsAny<typeof sandy.name> = false;
  const columnIsTyped: IsAny<typeof User.c.name> = false;
  // @ts-expect-error `name` is a string column
  sandy.name = 42;
  // `fullname` is nullable: the attribute's declared type includes null (a read right after an
  // assignment would be narrowed by control flow, so check the type, not a read).
  const notNull: null extends User['fullname'] ? true : false = true;
  console.log(loaded, id, name, fullname, emails, sandyIsTyped, nameIsTyped, columnIsTyped, notNull);
}

await engine.dispose();
