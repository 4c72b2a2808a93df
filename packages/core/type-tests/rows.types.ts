import {
  BigInteger,
  type DateString,
  type Decimal,
  Boolean,
  Column,
  Date,
  DateTime,
  Enum,
  ForeignKey,
  Integer,
  JSON,
  LargeBinary,
  MetaData,
  Numeric,
  String,
  Table,
  Uuid,
  cast,
  except,
  intersect,
  union,
  func,
  insert,
  select,
  text,
  update,
} from '@athanor/core';
import { type Equal, expectType } from './assert';

const metadata = new MetaData();
const users = new Table('users', metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(50), { nullable: false }),
  age: Column(Integer),
  big: Column(BigInteger),
  price: Column(Numeric(10, 2)),
  active: Column(Boolean, { default: true, nullable: false }),
  born: Column(Date),
  seen: Column(DateTime({ timezone: true })),
  meta: Column(JSON<{ tags: string[] }>()),
  uid: Column(Uuid),
  blob: Column(LargeBinary),
  role: Column(Enum(['admin', 'user'])),
});
const addresses = new Table('addresses', metadata, {
  id: Column(Integer, { primaryKey: true }),
  userId: Column(Integer, ForeignKey('users.id'), { name: 'user_id', nullable: false }),
  email: Column(String(100), { nullable: false }),
});

// Column value types: primary key and nullable: false are non-null; others are T | null.
type UsersRow = ReturnType<typeof rowOf<typeof users>>;
declare function rowOf<T>(t: T): T extends Table<any, infer D> ? { [K in keyof D]: D[K]['__value'] } : never;
expectType<Equal<UsersRow['id'], number>>(true);
expectType<Equal<UsersRow['name'], string>>(true);
expectType<Equal<UsersRow['age'], number | null>>(true);
expectType<Equal<UsersRow['big'], bigint | null>>(true);
// Numeric is a Decimal: a string (any string is assignable), branded for operator typing.
expectType<Equal<UsersRow['price'], Decimal | null>>(true);
expectType<Equal<UsersRow['active'], boolean>>(true);
// Date is a DateString: a `YYYY-MM-DD` string, branded for operator typing.
expectType<Equal<UsersRow['born'], DateString | null>>(true);
expectType<Equal<UsersRow['seen'], globalThis.Date | null>>(true);
expectType<Equal<UsersRow['meta'], { tags: string[] } | null>>(true);
expectType<Equal<UsersRow['uid'], string | null>>(true);
expectType<Equal<UsersRow['blob'], Uint8Array | null>>(true);
expectType<Equal<UsersRow['role'], 'admin' | 'user' | null>>(true);

// select() infers row types: keys, labels, function return types.
const s1 = select(users.c.id, users.c.name);
expectType<Equal<typeof s1.__row, { id: number; name: string }>>(true);
const s2 = select(users.c.name, func.count(addresses.c.id).label('n'));
expectType<Equal<typeof s2.__row, { name: string; n: number }>>(true);
const s3 = select(addresses.c.userId, users.c.age.label('years'));
expectType<Equal<typeof s3.__row, { userId: number; years: number | null }>>(true);
const s4 = select(func.max(users.c.age), func.coalesce(users.c.age, 0).label('a'));
expectType<Equal<typeof s4.__row, { max: number | null; a: number }>>(true);
const s5 = select(addresses);
expectType<Equal<typeof s5.__row, { id: number; userId: number; email: string }>>(true);

// Subquery columns carry their types.
const sq = select(addresses.c.userId, func.count().label('n')).groupBy(addresses.c.userId).subquery('c');
const s6 = select(users.c.name, sq.c.n);
expectType<Equal<typeof s6.__row, { name: string; n: number }>>(true);

// RETURNING types the rows of DML.
const ins = insert(users).values({ name: 'x' }).returning(users.c.id);
expectType<Equal<typeof ins.__row, { id: number }>>(true);

// text().columns() types raw SQL rows.
const t = text('SELECT 1 AS one').columns({ one: Integer });
expectType<Equal<typeof t.__row, { one: number | null }>>(true);

// insert().values() checks keys and value types; required columns must be given.
insert(users).values({ name: 'a', age: 3 });
insert(addresses).values({ userId: 1, email: 'e' });
// @ts-expect-error name is required (nullable: false, no default)
insert(users).values({ age: 3 });
// @ts-expect-error unknown key
insert(users).values({ name: 'a', nmae: 'b' });
// @ts-expect-error wrong value type
insert(users).values({ name: 5 });
// update().values() takes a partial
update(users).values({ age: 4 });
// @ts-expect-error wrong value type in update
update(users).values({ age: 'four' });

// Operators check operand types.
users.c.age.gt(3);
users.c.name.like('a%');
// @ts-expect-error comparing a number column with a string
users.c.age.eq('three');
// @ts-expect-error in() of the wrong element type
users.c.id.in(['a']);

// Connection results carry the row type: execute() a Result, first() a row or null, scalar() a value or null.
declare const conn: import('@athanor/core').Connection;
const firstRow = () => conn.first(select(users.c.id, users.c.name));
expectType<Equal<Awaited<ReturnType<typeof firstRow>>, { id: number; name: string } | null>>(true);
const firstValue = () => conn.scalar(select(users.c.age));
expectType<Equal<Awaited<ReturnType<typeof firstValue>>, number | null>>(true);
const executed = async () => (await conn.execute(select(users.c.id))).one();
expectType<Equal<Awaited<ReturnType<typeof executed>>, { id: number }>>(true);

// cast(): the function form keeps the expression's nullability, like the method form.
const castRow = select(cast(users.c.age, String(10)).label('s'), cast(users.c.name, Integer).label('n'), users.c.age.cast(String(10)).label('m'));
expectType<Equal<typeof castRow.__row, { s: string | null; n: number; m: string | null }>>(true);
const castLiteral = select(cast(5, String(10)).label('five'), cast(null, Integer).label('nothing'));
expectType<Equal<typeof castLiteral.__row, { five: string; nothing: number | null }>>(true);

// Compound selects: members agree on column keys (label to rename); each column's type is
// widened by every member's, so a nullable member makes the column nullable.
const both = select(users.c.id).union(select(users.c.age.label('id')));
expectType<Equal<typeof both.__row, { id: number | null }>>(true);
const viaFunction = union(select(users.c.id), select(addresses.c.userId.label('id')), select(users.c.age.label('id')));
expectType<Equal<typeof viaFunction.__row, { id: number | null }>>(true);
const common = intersect(select(users.c.id), select(addresses.c.userId.label('id')));
expectType<Equal<typeof common.__row, { id: number }>>(true);
const onlyFirst = except(select(users.c.id), select(users.c.age.label('id')));
expectType<Equal<typeof onlyFirst.__row, { id: number }>>(true);
// @ts-expect-error the member's column key differs from the first member's: label it
select(users.c.id).union(select(addresses.c.userId));
