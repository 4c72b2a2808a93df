import { Boolean, Column, DateTime, ForeignKey, Integer, JSON, MetaData, Numeric, String, Table } from '@athanor/core';

/** The schema most compiler tests use. */
export function schema() {
  const metadata = new MetaData();
  const users = new Table('users', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(50), { nullable: false }),
    age: Column(Integer),
    active: Column(Boolean, { default: true }),
  });
  const addresses = new Table('addresses', metadata, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
    email: Column(String(100), { nullable: false, unique: true }),
  });
  const orders = new Table('orders', metadata, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id'), { name: 'user_id' }),
    total: Column(Numeric(10, 2)),
    placedAt: Column(DateTime, { name: 'placed_at' }),
    data: Column(JSON<{ tags: string[] }>()),
  });
  return { metadata, users, addresses, orders };
}
