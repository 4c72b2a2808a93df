/** SQLite contenders: better-sqlite3 directly, and Kysely, Knex, Drizzle on the same file. */
import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import knexFactory from 'knex';
import { Kysely, SqliteDialect } from 'kysely';
import { type Item, sqliteDate } from '../data';
import type { Adapter, Tables } from '../types';

const flat = (r: Item) => [r.id, r.name, r.email, r.score, sqliteDate(r.createdAt)];
const asRow = (r: Item) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  score: r.score,
  created_at: sqliteDate(r.createdAt),
});

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export function rawSqlite(file: string, t: Tables): Adapter {
  const db = new Database(file);
  const byId = db.prepare(`SELECT id, name, email, score, created_at FROM ${t.items} WHERE id = ?`);
  const all = db.prepare(`SELECT id, name, email, score, created_at FROM ${t.items}`);
  const insOne = db.prepare(
    `INSERT INTO ${t.inserts} (id, name, email, score, created_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const tuples = Array.from({ length: 1000 }, () => '(?, ?, ?, ?, ?)').join(', ');
  const ins1000 = db.prepare(
    `INSERT INTO ${t.inserts} (id, name, email, score, created_at) VALUES ${tuples}`,
  );
  const upd = db.prepare(`UPDATE ${t.items} SET name = ?, score = ? WHERE id = ?`);
  const loopInsert = db.transaction((rows: Item[]) => {
    for (const r of rows) insOne.run(r.id, r.name, r.email, r.score, sqliteDate(r.createdAt));
  });
  const batchInsert = db.transaction((rows: Item[]) => {
    for (const c of chunks(rows, 1000)) {
      if (c.length === 1000) ins1000.run(c.flatMap(flat));
      else for (const r of c) insOne.run(flat(r));
    }
  });
  const loopUpdate = db.transaction((rows: Item[]) => {
    for (const r of rows) upd.run(r.name, r.score, r.id);
  });
  return {
    select: { 'raw (prepared)': (id) => byId.get(id) },
    fetch: { raw: () => all.all() },
    insert: { 'raw (prepared loop)': loopInsert, 'raw (multi-row 1000)': batchInsert },
    update: { 'raw (prepared loop)': loopUpdate },
    close: async () => void db.close(),
  };
}

export function kyselySqlite(file: string, t: Tables): Adapter {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  return {
    select: { kysely: (id) => db.selectFrom(t.items).selectAll().where('id', '=', id).executeTakeFirst() },
    fetch: { kysely: () => db.selectFrom(t.items).selectAll().execute() },
    insert: {
      'kysely (multi-row 1000)': (rows) =>
        db.transaction().execute(async (trx) => {
          for (const c of chunks(rows, 1000)) await trx.insertInto(t.inserts).values(c.map(asRow)).execute();
        }),
    },
    update: {
      kysely: (rows) =>
        db.transaction().execute(async (trx) => {
          for (const r of rows)
            await trx
              .updateTable(t.items)
              .set({ name: r.name, score: r.score })
              .where('id', '=', r.id)
              .execute();
        }),
    },
    close: () => db.destroy(),
  };
}

export function knexSqlite(file: string, t: Tables): Adapter {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  return {
    select: { knex: (id) => db(t.items).where({ id }).first() },
    fetch: { knex: () => db(t.items).select('*') },
    insert: {
      // Knex writes SQLite batches as SELECT ... UNION ALL, capped at 500 terms.
      'knex (multi-row 500)': (rows) =>
        db.transaction(async (trx) => {
          for (const c of chunks(rows, 500)) await trx(t.inserts).insert(c.map(asRow));
        }),
    },
    update: {
      knex: (rows) =>
        db.transaction(async (trx) => {
          for (const r of rows)
            await trx(t.items).where({ id: r.id }).update({ name: r.name, score: r.score });
        }),
    },
    close: () => db.destroy(),
  };
}

export function drizzleSqlite(file: string, t: Tables): Adapter {
  const cols = {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    score: integer('score').notNull(),
    createdAt: text('created_at').notNull(),
  };
  const items = sqliteTable(t.items, cols);
  const inserts = sqliteTable(t.inserts, cols);
  const client = new Database(file);
  const db = drizzle({ client });
  const prepared = db
    .select()
    .from(items)
    .where(eq(items.id, sql.placeholder('id')))
    .prepare();
  const toRow = (r: Item) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    score: r.score,
    createdAt: sqliteDate(r.createdAt),
  });
  return {
    select: {
      drizzle: (id) => db.select().from(items).where(eq(items.id, id)).get(),
      'drizzle (prepared)': (id) => prepared.get({ id }),
    },
    fetch: { drizzle: () => db.select().from(items).all() },
    insert: {
      'drizzle (multi-row 1000)': (rows) =>
        db.transaction((tx) => {
          for (const c of chunks(rows, 1000)) tx.insert(inserts).values(c.map(toRow)).run();
        }),
    },
    update: {
      drizzle: (rows) =>
        db.transaction((tx) => {
          for (const r of rows)
            tx.update(items).set({ name: r.name, score: r.score }).where(eq(items.id, r.id)).run();
        }),
    },
    close: async () => void client.close(),
  };
}
