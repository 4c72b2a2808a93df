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
  type ClauseElement,
  type Connection,
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

/**
 * `(await conn.execute(stmt)).one()` and friends, beside `first()`: built per call with
 * one(), and prebuilt with one(), all() and scalars().all() (the last two hand back a list;
 * the suite checks its first item).
 */
export function executeIdioms(
  conn: Connection,
  byId: ClauseElement,
  built: (id: number) => ClauseElement,
): Record<string, (id: number) => Promise<unknown>> {
  return {
    'athanor (built per call, execute + one())': async (id) => (await conn.execute(built(id))).one(),
    'athanor (prebuilt, execute + one())': async (id) => (await conn.execute(byId, { id })).one(),
    'athanor (prebuilt, execute + all())': async (id) => (await conn.execute(byId, { id })).all(),
    'athanor (prebuilt, execute + scalars().all())': async (id) => (await conn.execute(byId, { id })).scalars().all(),
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
      // The idiom most code is written in: a Result, read with one(), all() or scalars().
      ...executeIdioms(conn, byId, (id) => select(items).where(items.c.id.eq(id))),
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
