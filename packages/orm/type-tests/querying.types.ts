/** Static types of relationships in statements: rel() handles, any/has/eq, withParent, aliased(). */
import { Column, type ColumnElement, ForeignKey, Integer, type ScalarResult, String, select } from '@athanor/core';
import { type RelationshipHandle, type RelationshipKey, type Session, aliased, declarativeBase, rel, relationship, withParent } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();

class User extends Base.mapped('t_user', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
}) {
  declare addresses: Address[];
  greeting(): string {
    return `hi ${this.name}`;
  }
}
class Address extends Base.mapped('t_address', {
  id: Column(Integer, { primaryKey: true }),
  email: Column(String, { nullable: false }),
  userId: Column(Integer, ForeignKey('t_user.id'), { nullable: false }),
}) {
  declare user: User | null;
}
Base.relationships(User, { addresses: relationship(Address, { backPopulates: 'user' }) });
Base.relationships(Address, { user: relationship(User, { backPopulates: 'addresses' }) });

// Handles: the name is checked, the target and the kind (collection or single) are known.
const addresses = rel(User, 'addresses');
expectType<Equal<typeof addresses, RelationshipHandle<User, Address, true>>>(true);
const owner = rel(Address, 'user');
expectType<Equal<typeof owner, RelationshipHandle<Address, User, false>>>(true);
expectType<Equal<RelationshipKey<User>, 'addresses'>>(true);
// @ts-expect-error misspelled relationship name
rel(User, 'adresses');
// @ts-expect-error a column is not a relationship
rel(User, 'name');
// @ts-expect-error a method is not a relationship
rel(User, 'greeting');

// any() on collections, has()/eq()/ne() on single objects.
expectType<Equal<ReturnType<typeof addresses.any>, ColumnElement<boolean>>>(true);
addresses.any(Address.c.email.like('%@x'));
owner.has(User.c.name.eq('sandy'));
declare const sandy: User;
declare const someAddress: Address;
owner.eq(sandy);
owner.ne(null);
// @ts-expect-error has() is for a single related object
addresses.has();
// @ts-expect-error any() is for collections
owner.any();
// @ts-expect-error eq() takes a User, not an Address
owner.eq(someAddress);
// @ts-expect-error eq() compares a single related object, not a collection
addresses.eq(someAddress);
addresses.contains(someAddress);
// @ts-expect-error contains() takes an Address
addresses.contains(sandy);
// @ts-expect-error contains() is for collections
owner.contains(sandy);

// withParent: the object is of the handle's parent class.
withParent(sandy, addresses);
withParent(someAddress, owner);
// @ts-expect-error an Address is not the parent of User.addresses
withParent(someAddress, addresses);

// join() takes a handle; joins to an alias of the target with ofType().
const a1 = aliased(Address, 'a1');
select(User).join(addresses).outerJoin(rel(User, 'addresses').ofType(a1)).where(a1.c.email.eq('x'));
// @ts-expect-error ofType() takes an alias of the target class
rel(User, 'addresses').ofType(aliased(User, 'u2'));
// A handle from an alias.
const manager = aliased(User, 'manager');
rel(manager, 'addresses').any();
// @ts-expect-error misspelled on an alias too
rel(manager, 'adresses');

// Aliased columns are typed as the class's; selected, the alias loads the class's instances.
a1.c.email.eq('x');
// @ts-expect-error email compares with strings
a1.c.email.eq(1);
// @ts-expect-error no column 'mail'
a1.c.mail;

async function rows(session: Session) {
  // Rows of several entities: tuples typed by position (the class names are not known to the types).
  const result = await session.execute(select(User, Address).join(rel(User, 'addresses')));
  const [user, address] = result.tuples()[0];
  expectType<Equal<typeof user, User>>(true);
  expectType<Equal<typeof address, Address>>(true);
  expectType<Equal<ReturnType<typeof result.tuples>, [User, Address][]>>(true);
  // The keyed row has no index signature: no key is accepted that the types do not know.
  const row = result.all()[0];
  // @ts-expect-error a misspelled key is an error
  row.Usr;
  // @ts-expect-error so is the class name (its key is not known to the types: use tuples())
  row.User;

  // Entities and columns: `{ id: number }` keyed, `[User, number]` as a tuple.
  const mixed = await session.execute(select(User, Address.c.id).join(rel(User, 'addresses')));
  expectType<Equal<ReturnType<typeof mixed.all>[number], { id: number }>>(true);
  expectType<Equal<ReturnType<typeof mixed.tuples>[number], [User, number]>>(true);
  // @ts-expect-error misspelled column key
  mixed.all()[0].idd;

  // A named alias is keyed by its name, typed as the class.
  const aliasedRow = (await session.execute(select(Address, a1).join(rel(Address, 'user')))).all()[0];
  expectType<Equal<typeof aliasedRow, { a1: Address }>>(true);

  // scalars() and scalar() take the first item's type.
  const users = await session.scalars(select(User, Address).join(rel(User, 'addresses')));
  expectType<Equal<typeof users, ScalarResult<User>>>(true);
  const first = await session.scalar(select(Address.c.email, User.c.name).join(rel(Address, 'user')));
  expectType<Equal<typeof first, string | null>>(true);

  // Columns of an outer-joined table are nullable, in the tuple as in the keyed row: joined
  // along a relationship, to the class, or to its table.
  const alongRel = await session.execute(select(User.c.name, Address.c.email).outerJoin(rel(User, 'addresses')));
  expectType<Equal<ReturnType<typeof alongRel.tuples>[number], [string, string | null]>>(true);
  expectType<Equal<ReturnType<typeof alongRel.all>[number], { name: string; email: string | null }>>(true);
  const toClass = await session.execute(select(User.c.name, Address.c.email).outerJoin(Address, User.c.id.eq(Address.c.userId)));
  expectType<Equal<ReturnType<typeof toClass.tuples>[number], [string, string | null]>>(true);
  // An entity on the outer side is null where no row matched.
  const entities = await session.execute(select(User, Address).outerJoin(rel(User, 'addresses')));
  expectType<Equal<ReturnType<typeof entities.tuples>[number], [User, Address | null]>>(true);
  const toAlias = await session.execute(select(User, a1).outerJoin(rel(User, 'addresses').ofType(a1)));
  expectType<Equal<ReturnType<typeof toAlias.tuples>[number], [User, Address | null]>>(true);
  // A named alias keeps its key, nullable on the outer side too.
  expectType<Equal<ReturnType<typeof toAlias.all>[number], { a1: Address | null }>>(true);
  const innerAlias = await session.execute(select(User, a1).join(rel(User, 'addresses').ofType(a1)));
  expectType<Equal<ReturnType<typeof innerAlias.all>[number], { a1: Address }>>(true);
  const full = await session.execute(select(User, Address).fullJoin(Address, User.c.id.eq(Address.c.userId)));
  expectType<Equal<ReturnType<typeof full.tuples>[number], [User | null, Address | null]>>(true);
  const inner = await session.execute(select(User.c.name, Address.c.email).join(rel(User, 'addresses')));
  expectType<Equal<ReturnType<typeof inner.tuples>[number], [string, string]>>(true);
}
void rows;
