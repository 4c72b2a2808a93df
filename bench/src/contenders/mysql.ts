/** MariaDB contenders: mysql2 directly (server-side prepared `execute`), and Kysely, Drizzle, one connection each. */
import { eq, sql } from 'drizzle-orm';
import { datetime, int, mysqlTable, text } from 'drizzle-orm/mysql-core';
import { drizzle } from 'drizzle-orm/mysql2';
import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2/promise';
import { createPool } from 'mysql2';
import type { Item } from '../data';
import type { Adapter, Tables } from '../types';
import { chunks } from './postgres';

const COLS = 'id, name, email, score, created_at';
const asRow = (r: Item) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  score: r.score,
  created_at: r.createdAt,
});

async function inTx(c: mysql.Connection, fn: () => Promise<void>) {
  await c.query('BEGIN');
  try {
    await fn();
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
}

export async function rawMysql(url: string, t: Tables): Promise<Adapter> {
  const c = await mysql.createConnection(url);
  const tuples = (n: number) => Array.from({ length: n }, () => '(?, ?, ?, ?, ?)').join(', ');
  const flat = (r: Item) => [r.id, r.name, r.email, r.score, r.createdAt];
  const ins1 = `INSERT INTO ${t.inserts} (${COLS}) VALUES ${tuples(1)}`;
  const ins1000 = `INSERT INTO ${t.inserts} (${COLS}) VALUES ${tuples(1000)}`;
  return {
    select: {
      'raw (prepared execute)': async (id) =>
        ((await c.execute(`SELECT ${COLS} FROM ${t.items} WHERE id = ?`, [id]))[0] as any[])[0],
      'raw (text query)': async (id) =>
        ((await c.query(`SELECT ${COLS} FROM ${t.items} WHERE id = ?`, [id]))[0] as any[])[0],
    },
    fetch: { 'raw (prepared execute)': async () => (await c.execute(`SELECT ${COLS} FROM ${t.items}`))[0] },
    insert: {
      'raw (multi-row 1000)': (rows) =>
        inTx(c, async () => {
          for (const ch of chunks(rows, 1000)) {
            if (ch.length === 1000) await c.execute(ins1000, ch.flatMap(flat));
            else for (const r of ch) await c.execute(ins1, flat(r));
          }
        }),
      'raw (prepared loop)': (rows) =>
        inTx(c, async () => {
          for (const r of rows) await c.execute(ins1, flat(r));
        }),
    },
    update: {
      'raw (prepared loop)': (rows) =>
        inTx(c, async () => {
          for (const r of rows)
            await c.execute(`UPDATE ${t.items} SET name = ?, score = ? WHERE id = ?`, [
              r.name,
              r.score,
              r.id,
            ]);
        }),
    },
    close: () => c.end(),
  };
}

export function kyselyMysql(url: string, t: Tables): Adapter {
  const db = new Kysely<any>({
    dialect: new MysqlDialect({ pool: createPool({ uri: url, connectionLimit: 1 }) }),
  });
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

export async function drizzleMysql(url: string, t: Tables): Promise<Adapter> {
  const cols = {
    id: int('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    score: int('score').notNull(),
    createdAt: datetime('created_at').notNull(),
  };
  const items = mysqlTable(t.items, cols);
  const inserts = mysqlTable(t.inserts, cols);
  const client = await mysql.createConnection(url);
  const db = drizzle({ client });
  const prepared = db
    .select()
    .from(items)
    .where(eq(items.id, sql.placeholder('id')))
    .prepare();
  return {
    select: {
      drizzle: async (id) => (await db.select().from(items).where(eq(items.id, id)))[0],
      'drizzle (prepared)': async (id) => (await prepared.execute({ id }))[0],
    },
    fetch: { drizzle: () => db.select().from(items) },
    insert: {
      'drizzle (multi-row 1000)': (rows) =>
        db.transaction(async (tx) => {
          for (const c of chunks(rows, 1000)) await tx.insert(inserts).values(c);
        }),
    },
    update: {
      drizzle: (rows) =>
        db.transaction(async (tx) => {
          for (const r of rows)
            await tx.update(items).set({ name: r.name, score: r.score }).where(eq(items.id, r.id));
        }),
    },
    close: () => client.end(),
  };
}
