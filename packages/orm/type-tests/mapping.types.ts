/** Static types of mapped classes: attributes, constructor arguments, query results, relationships. */
import { Column, ForeignKey, Integer, type ScalarResult, String, select } from '@athanor/core';
import { type RelationshipName, type Session, declarativeBase, joinedload, relationship, selectinload } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();

class User extends Base.mapped('user_account', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  fullname: Column(String),
}) {
  declare addresses: Address[];
  displayName(): string {
    return this.fullname ?? this.name;
  }
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
// @ts-expect-error the attribute holds Address objects, not User objects
Base.relationships(User, { addresses: relationship(User) });
// @ts-expect-error no such attribute on User
Base.relationships(User, { nope: relationship(Address) });
// foreignKeys takes the column objects holding the foreign key, one or a list.
relationship(User, { foreignKeys: Address.c.userId });
relationship(User, { foreignKeys: [Address.c.userId] });
// @ts-expect-error a column key string is not a column
relationship(User, { foreignKeys: 'userId' });

// Instance attributes.
const u = new User({ name: 'sandy', fullname: 'Sandy Cheeks' });
expectType<Equal<typeof u.id, number>>(true);
expectType<Equal<typeof u.name, string>>(true);
expectType<Equal<typeof u.fullname, string | null>>(true);
expectType<Equal<typeof u.addresses, Address[]>>(true);
const a = new Address({ email: 'x@example.com' });
expectType<Equal<typeof a.userId, number>>(true);
expectType<Equal<typeof a.user, User>>(true);

// Constructor arguments: a partial of the column values, typed.
new User();
new User({ fullname: null });
// @ts-expect-error name is a string
new User({ name: 1 });
// @ts-expect-error no column 'nickname'
new User({ nickname: 'x' });
// @ts-expect-error name is not nullable
new User({ name: null });

// Table and columns on the class.
expectType<Equal<typeof User.table.name, 'user_account'>>(true);
User.c.name.eq('sandy');
// @ts-expect-error name compares with strings
User.c.name.eq(1);

async function queries(session: Session) {
  const users = await session.scalars(select(User).where(User.c.name.eq('sandy')).options(selectinload(User, 'addresses')));
  // The rows carry their load state (load-state.types.ts); still assignable to the class.
  const asUsers: ScalarResult<User> = users;
  void asUsers;
  const sandy = users.one();
  expectType<Equal<typeof sandy.addresses, Address[]>>(true);
  const again = await session.get(User, sandy.id);
  expectType<Equal<typeof again, User | null>>(true);
  const emails = await sandy.awaitableAttrs.addresses;
  expectType<Equal<typeof emails, Address[]>>(true);
  const rows = (await session.execute(select(Address, User.c.name).join(User))).all();
  expectType<Equal<(typeof rows)[number]['name'], string>>(true);
  select(Address).options(joinedload(Address, 'user'));
  // @ts-expect-error no attribute 'nope' to load
  selectinload(User, 'nope');
  // Loader options take relationship attributes only: not columns, not methods.
  expectType<Equal<RelationshipName<typeof User>, 'addresses'>>(true);
  expectType<Equal<RelationshipName<typeof Address>, 'user'>>(true);
  // @ts-expect-error 'name' is a column, not a relationship
  selectinload(User, 'name');
  // @ts-expect-error 'userId' is a column, not a relationship
  joinedload(Address, 'userId');
  // @ts-expect-error 'displayName' is a method, not a relationship
  selectinload(User, 'displayName');
}
void queries;
