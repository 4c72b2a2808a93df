/** The tables every compliance test works on, built in the schema the dialect's config gives. */
import {
  BigInteger,
  Boolean as BooleanT,
  CheckConstraint,
  Column,
  Date as DateT,
  DateTime,
  Enum,
  Float,
  ForeignKey,
  Index,
  Integer,
  JSON as JSONT,
  LargeBinary,
  MetaData,
  Numeric,
  String,
  Table,
  Text,
  Uuid,
} from '@athanor/core';
import { buildReportTables } from './report/schema';

export function buildFixtures(schema: string | undefined) {
  const metadata = new MetaData({ schema });
  const users = new Table('cs_users', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(50), { nullable: false, unique: true }),
    age: Column(Integer),
  });
  const posts = new Table(
    'cs_posts',
    metadata,
    {
      id: Column(Integer, { primaryKey: true }),
      userId: Column(Integer, ForeignKey('cs_users.id'), { name: 'user_id', nullable: false }),
      title: Column(String(100), { nullable: false }),
      score: Column(Integer, { nullable: false }),
    },
    new CheckConstraint('score >= 0', { name: 'cs_posts_score_nonneg' }),
  );
  const values = new Table('cs_values', metadata, {
    id: Column(Integer, { primaryKey: true }),
    i: Column(Integer),
    big: Column(BigInteger),
    f: Column(Float),
    num: Column(Numeric(20, 4)),
    s: Column(String(50)),
    t: Column(Text),
    b: Column(BooleanT),
    day: Column(DateT),
    at: Column(DateTime),
    j: Column(JSONT()),
    u: Column(Uuid),
    bin: Column(LargeBinary),
    e: Column(Enum(['red', 'green'])),
  });
  const nums = new Table('cs_nums', metadata, { n: Column(Integer, { primaryKey: true }), label: Column(String(20)) });
  const kv = new Table('cs_kv', metadata, { k: Column(String(20), { primaryKey: true }), v: Column(Integer) });
  const tree = new Table('cs_tree', metadata, { id: Column(Integer, { primaryKey: true }), parentId: Column(Integer, { name: 'parent_id' }) });
  const indexed = new Table('cs_indexed', metadata, { id: Column(Integer, { primaryKey: true }), code: Column(String(20)) });
  indexed.addIndex(new Index('ix_cs_indexed_code', ['code'], { unique: true }));
  // executemany: rows with an explicit id, NOT NULL text and timestamp, and a nullable JSON document.
  const batch = new Table('cs_batch', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(Text, { nullable: false }),
    at: Column(DateTime, { nullable: false }),
    doc: Column(JSONT()),
  });
  // Numeric semantics: prices, quantities and discounts of different scales beside an Integer.
  const prices = new Table('cs_prices', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    cat: Column(String(10), { nullable: false }),
    price: Column(Numeric(10, 2), { nullable: false }),
    qty: Column(Numeric(12, 3), { nullable: false }),
    discount: Column(Numeric(4, 2), { nullable: false }),
    n: Column(Integer, { nullable: false }),
  });
  // Dates: a calendar date, a UTC timestamp and a zone-aware one, across month ends, leap days and DST changes.
  const events = new Table('cs_events', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    day: Column(DateT, { nullable: false }),
    at: Column(DateTime, { nullable: false }),
    atz: Column(DateTime({ timezone: true }), { nullable: false }),
  });
  return { metadata, users, posts, values, nums, kv, tree, indexed, batch, prices, events, report: buildReportTables(metadata) };
}

export type Fixtures = ReturnType<typeof buildFixtures>;

/** Four users and five posts, reloaded by groups that need known data. */
export const USERS = [
  { id: 1, name: 'ann', age: 30 },
  { id: 2, name: 'bob', age: 25 },
  { id: 3, name: 'cid', age: null },
  { id: 4, name: 'dee', age: 41 },
];
export const POSTS = [
  { id: 1, userId: 1, title: 'a1', score: 10 },
  { id: 2, userId: 1, title: 'a2', score: 20 },
  { id: 3, userId: 2, title: 'b1', score: 5 },
  { id: 4, userId: 4, title: 'd1', score: 7 },
  { id: 5, userId: 4, title: 'd2', score: 1 },
];
