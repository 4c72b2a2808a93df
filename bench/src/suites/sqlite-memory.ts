/**
 * SQLite in memory, select by primary key only: the physical limit without file locking.
 * An in-memory database belongs to one connection, so every contender gets its own,
 * loaded with the same rows; the statement each one runs is the same as in the file suite.
 */
import { Integer, bindparam, createEngine, insert, parseTimestampText, select } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';
import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { Kysely, SqliteDialect } from 'kysely';
import { athanorTables, executeIdioms } from '../contenders/athanor';
import { check, idOf, idSequence, makeItems, sqliteDate } from '../data';
import { type Contender, loop, measure } from '../harness';
import type { SuiteSizes } from '../suite';
import type { WorkloadResult } from '../types';

const DDL =
  'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, score INTEGER NOT NULL, created_at DATETIME NOT NULL)';

function memoryDb(rows: number): Database.Database {
  const db = new Database(':memory:');
  db.exec(DDL);
  const ins = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of makeItems(rows)) ins.run(r.id, r.name, r.email, r.score, sqliteDate(r.createdAt));
  })();
  return db;
}

export async function sqliteMemorySuite(sizes: SuiteSizes, log: (s: string) => void): Promise<WorkloadResult[]> {
  const raw = memoryDb(sizes.rows);
  const rawById = raw.prepare('SELECT id, name, email, score, created_at FROM items WHERE id = ?');
  const rawArrays = raw.prepare('SELECT id, name, email, score, created_at FROM items WHERE id = ?').raw(true);

  const engine = createEngine('sqlite://', { dialect: athanorDialect });
  const { items } = athanorTables({ items: 'items', inserts: 'items_ins' });
  await items.metadata.createAll(engine);
  await engine.begin(async (c) => void (await c.execute(insert(items), makeItems(sizes.rows) as any)));
  const conn = await engine.connect();
  const byId = select(items).where(items.c.id.eq(bindparam('id', { type: Integer })));

  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: memoryDb(sizes.rows) }) });
  const dItems = sqliteTable('items', {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    score: integer('score').notNull(),
    createdAt: text('created_at').notNull(),
  });
  const dClient = memoryDb(sizes.rows);
  const dz = drizzle({ client: dClient });
  const dPrepared = dz
    .select()
    .from(dItems)
    .where(eq(dItems.id, sql.placeholder('id')))
    .prepare();

  const ops: [string, (id: number) => unknown][] = [
    ['raw (prepared)', (id) => rawById.get(id)],
    // Reference, not a contender: the cheapest way to meet Athanor's contract on this driver
    // (one async API, so a promise per call; DateTime read as a Date; rows as objects), i.e.
    // array rows from the prepared statement and one object literal per row.
    [
      'raw arrays + await + Date (the contract floor)',
      async (id) => {
        const r = rawArrays.all(id)[0] as unknown[];
        return { id: r[0], name: r[1], email: r[2], score: r[3], created_at: new Date(parseTimestampText(r[4] as string)) };
      },
    ],
    // Reference: the floor of the `(await conn.execute(stmt)).one()` idiom, which awaits the
    // library's promise inside the caller's own async function: two promises per call, not one.
    [
      'raw arrays + Date, awaited in an async function (the floor of execute().one())',
      async (id) => {
        const r = (await Promise.resolve(rawArrays.all(id)[0])) as unknown[];
        return { id: r[0], name: r[1], email: r[2], score: r[3], created_at: new Date(parseTimestampText(r[4] as string)) };
      },
    ],
    ['athanor (built per call)', (id) => conn.first(select(items).where(items.c.id.eq(id)))],
    ['athanor (prebuilt, bindparam)', (id) => conn.first(byId, { id })],
    ...Object.entries(executeIdioms(conn, byId, (id) => select(items).where(items.c.id.eq(id)))),
    ['kysely', (id) => kysely.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst()],
    ['drizzle', (id) => dz.select().from(dItems).where(eq(dItems.id, id)).get()],
    ['drizzle (prepared)', (id) => dPrepared.get({ id })],
  ];
  try {
    for (const [name, op] of ops) check(idOf(await op(7)) === 7, `sqlite memory ${name} select by id 7`);
    const ids = idSequence(sizes.selectOps, sizes.rows);
    const contenders: Contender[] = ops.map(([name, op]) => ({ name, run: loop(ids.length, (i) => op(ids[i])) }));
    log(`sqlite (memory): select by PK × ${ids.length}`);
    const stats = await measure(contenders, { rounds: sizes.rounds, warmup: sizes.warmup, opsPerSample: ids.length, collectBetweenSamples: false });
    const base = stats[0].median;
    return [
      {
        workload: 'select by PK (in memory)',
        unit: 'µs/query',
        baseline: stats[0].name,
        ops: ids.length,
        rounds: sizes.rounds,
        results: stats.map((s) => ({ name: s.name, median: s.median, min: s.min, max: s.max, ratio: s.median / base })),
      },
    ];
  } finally {
    await conn.close();
    await engine.dispose();
    await kysely.destroy();
    dClient.close();
    raw.close();
  }
}
