import { Column, ForeignKey, Integer, MetaData, String, Table, and, desc, func, select } from '@athanor/core';

test('contract statement compiles', () => {
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
  console.log(stmt.toString(), stmt.compile());
});
