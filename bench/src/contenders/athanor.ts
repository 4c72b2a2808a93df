/** Athanor through its public API, the way its docs show it. */
import {
  Column,
  DateTime,
  Integer,
  MetaData,
  Table,
  Text,
  bindparam,
  insert,
  select,
  update,
  type Engine,
} from '@athanor/core';
import type { Item } from '../data';
import type { Adapter, Tables } from '../types';

export function athanorTables(names: Tables) {
  const metadata = new MetaData();
  const cols = () => ({
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(Text, { nullable: false }),
    email: Column(Text, { nullable: false }),
    score: Column(Integer, { nullable: false }),
    createdAt: Column(DateTime, { name: 'created_at', nullable: false }),
  });
  return {
    items: new Table(names.items, metadata, cols()),
    inserts: new Table(names.inserts, metadata, cols()),
  };
}

export async function athanorAdapter(engine: Engine, names: Tables): Promise<Adapter> {
  const { items, inserts } = athanorTables(names);
  const conn = await engine.connect();
  const byId = select(items).where(items.c.id.eq(bindparam('id', { type: Integer })));
  const all = select(items);
  const upd = update(items)
    .values({ name: bindparam('name', { type: Text }), score: bindparam('score', { type: Integer }) })
    .where(items.c.id.eq(bindparam('id', { type: Integer })));
  const ins = insert(inserts);
  return {
    select: {
      // first(): the first row, like the raw driver's get(), Drizzle's get() and Kysely's executeTakeFirst().
      'athanor (built per call)': (id) => conn.first(select(items).where(items.c.id.eq(id))),
      'athanor (prebuilt, bindparam)': (id) => conn.first(byId, { id }),
      // execute().one() reads every row to prove there is exactly one.
      'athanor (prebuilt, execute + one())': async (id) => (await conn.execute(byId, { id })).one(),
    },
    fetch: {
      athanor: async () => (await conn.execute(all)).all(),
    },
    insert: {
      'athanor (executemany)': (rows: Item[]) =>
        conn.begin(async () => void (await conn.execute(ins, rows as any))),
    },
    update: {
      'athanor (executemany, prebuilt)': (rows: Item[]) =>
        conn.begin(async () => void (await conn.execute(upd, rows as any))),
    },
    close: async () => {
      await conn.close();
      await engine.dispose();
    },
  };
}
