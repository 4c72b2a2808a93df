/** PostgreSQL contenders: pg directly (named prepared statements), and Kysely, Knex, Drizzle, one connection each. */
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import knexFactory from 'knex';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Item } from '../data';
import type { Adapter, Tables } from '../types';

const COLS = 'id, name, email, score, created_at';
const asRow = (r: Item) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  score: r.score,
  created_at: r.createdAt,
});

export const PG_URL = process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** The admin connection of a PostgreSQL suite, or undefined (said loudly) when the server is unreachable. */
export async function connectOrSkip(log: (s: string) => void): Promise<pg.Client | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    return admin;
  } catch (e) {
    log(
      `!!! PostgreSQL SKIPPED: cannot reach ${PG_URL} (${(e as Error).message}); start it with \`pnpm db:start\` !!!`,
    );
    return undefined;
  }
}

export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

async function inTx(c: pg.Client, fn: () => Promise<void>) {
  await c.query('BEGIN');
  try {
    await fn();
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
}

export async function rawPostgres(url: string, t: Tables): Promise<Adapter> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const tuples = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`,
    ).join(', ');
  const ins1 = `INSERT INTO ${t.inserts} (${COLS}) VALUES ${tuples(1)}`;
  const ins1000 = `INSERT INTO ${t.inserts} (${COLS}) VALUES ${tuples(1000)}`;
  const flat = (r: Item) => [r.id, r.name, r.email, r.score, r.createdAt];
  return {
    select: {
      'raw (named prepared)': async (id) =>
        (await c.query({ name: 'sel', text: `SELECT ${COLS} FROM ${t.items} WHERE id = $1`, values: [id] }))
          .rows[0],
    },
    fetch: { raw: async () => (await c.query({ name: 'all', text: `SELECT ${COLS} FROM ${t.items}` })).rows },
    insert: {
      'raw (multi-row 1000)': (rows) =>
        inTx(c, async () => {
          for (const ch of chunks(rows, 1000)) {
            if (ch.length === 1000)
              await c.query({ name: 'ins1000', text: ins1000, values: ch.flatMap(flat) });
            else for (const r of ch) await c.query({ name: 'ins1', text: ins1, values: flat(r) });
          }
        }),
      'raw (prepared loop)': (rows) =>
        inTx(c, async () => {
          for (const r of rows) await c.query({ name: 'ins1', text: ins1, values: flat(r) });
        }),
    },
    update: {
      'raw (prepared loop)': (rows) =>
        inTx(c, async () => {
          for (const r of rows)
            await c.query({
              name: 'upd',
              text: `UPDATE ${t.items} SET name = $1, score = $2 WHERE id = $3`,
              values: [r.name, r.score, r.id],
            });
        }),
    },
    close: () => c.end(),
  };
}

export function kyselyPostgres(url: string, t: Tables): Adapter {
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
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

export function knexServer(client: 'pg' | 'mysql2', url: string, t: Tables): Adapter {
  const db = knexFactory({ client, connection: url, pool: { min: 1, max: 1 } });
  return {
    select: { knex: (id) => db(t.items).where({ id }).first() },
    fetch: { knex: () => db(t.items).select('*') },
    insert: {
      'knex (multi-row 1000)': (rows) =>
        db.transaction(async (trx) => {
          for (const c of chunks(rows, 1000)) await trx(t.inserts).insert(c.map(asRow));
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

export async function drizzlePostgres(url: string, t: Tables): Promise<Adapter> {
  const cols = {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    score: integer('score').notNull(),
    createdAt: timestamp('created_at').notNull(),
  };
  const items = pgTable(t.items, cols);
  const inserts = pgTable(t.inserts, cols);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = drizzle({ client });
  const prepared = db
    .select()
    .from(items)
    .where(eq(items.id, sql.placeholder('id')))
    .prepare('drizzle_by_id');
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
