/** `result.tuples()`: rows by position, typed from the select() items; entities through the generic entity hook. */
import { Column, type Connection, ForeignKey, Integer, MetaData, type SelectableEntity, String, Table, func, select, text } from '@athanor/core';
import { type Equal, expectType } from './assert';

const metadata = new MetaData();
const users = new Table('users', metadata, { id: Column(Integer, { primaryKey: true }), name: Column(String, { nullable: false }) });
const posts = new Table('posts', metadata, { id: Column(Integer, { primaryKey: true }), userId: Column(Integer, ForeignKey('users.id')) });

/** An entity whose name the types know (N) and one whose name they do not (string). */
declare const named: SelectableEntity<{ label: string }, 'Named'>;
declare const unnamed: SelectableEntity<{ other: number }>;

async function run(conn: Connection) {
  const cols = await conn.execute(select(users.c.id, posts.c.userId, func.count(posts.c.id).label('n')).outerJoin(posts).groupBy(users.c.id, posts.c.userId));
  expectType<Equal<ReturnType<typeof cols.tuples>, [number, number | null, number][]>>(true);
  const withEntities = await conn.execute(select(named, unnamed, users.c.name));
  expectType<Equal<ReturnType<typeof withEntities.tuples>, [{ label: string }, { other: number }, string][]>>(true);
  // Keyed: the named entity and the column; the unnamed entity has no key (no index signature).
  expectType<Equal<ReturnType<typeof withEntities.all>[number], { Named: { label: string }; name: string }>>(true);
  // @ts-expect-error no key the types do not know
  withEntities.all()[0].Unnamed;
  // scalar()/scalars(): the first item.
  const first = await conn.scalar(select(unnamed, users.c.name));
  expectType<Equal<typeof first, { other: number } | null>>(true);
  // A whole table has no column order in the types; text() has no items.
  expectType<Equal<ReturnType<Awaited<ReturnType<typeof conn.execute<ReturnType<typeof users.select>>>>['tuples']>, unknown[][]>>(true);
  const raw = await conn.execute(text('SELECT 1'));
  expectType<Equal<ReturnType<typeof raw.tuples>, unknown[][]>>(true);
}
void run;
