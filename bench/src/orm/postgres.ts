/** The ORM workloads on PostgreSQL: uniquely named tables in the test database, dropped at the end. */
import { createEngine } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-postgres';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { PG_URL, connectOrSkip, rawPostgres } from '../contenders/postgres';
import { makeItems } from '../data';
import { athanorOrm } from './athanor';
import { mikroOrm } from './mikro';
import { type AuthorRow, attachChildren, authorsAndBooks, foldJoinedRows, ormDdl, ormTables } from './schema';
import { type OrmRun, type OrmSizes, openOrms, rawBaselinesFrom, runOrmSuite } from './suite';
import { typeOrm } from './typeorm';
import type { OrmAdapter, OrmTables } from './types';

const URL = PG_URL;

/** Multi-row INSERTs of up to 1,000 rows. */
async function insertRows(c: pg.Client, table: string, rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    const width = batch[0].length;
    const tuples = batch.map(
      (_, j) => `(${Array.from({ length: width }, (_, k) => `$${j * width + k + 1}`).join(', ')})`,
    );
    await c.query(`INSERT INTO ${table} VALUES ${tuples.join(', ')}`, batch.flat());
  }
}

async function seed(c: pg.Client, sizes: OrmSizes, t: OrmTables) {
  for (const stmt of ormDdl(t, 'TIMESTAMP')) await c.query(stmt);
  const items = makeItems(sizes.rows).map((r) => [r.id, r.name, r.email, r.score, r.createdAt]);
  await insertRows(c, t.items, items);
  await insertRows(c, t.updates, items);
  const { authors, books } = authorsAndBooks(sizes.parents);
  await insertRows(
    c,
    t.authors,
    authors.map((a) => [a.id, a.name]),
  );
  await insertRows(
    c,
    t.books,
    books.map((b) => [b.id, b.authorId, b.title]),
  );
  for (const table of Object.values(t)) await c.query(`ANALYZE ${table}`);
}

async function rawBaselines(t: OrmTables) {
  const items = await rawPostgres(URL, { items: t.items, inserts: t.inserts });
  const updates = await rawPostgres(URL, { items: t.updates, inserts: t.inserts });
  const c = new pg.Client({ connectionString: URL });
  await c.connect();
  const baselines = rawBaselinesFrom(items, updates, {
    // pg parses timestamps itself.
    toDate: (v) => v as Date,
    getInTransaction: async (id) => {
      await c.query('BEGIN');
      try {
        const text = `SELECT id, name, email, score, created_at FROM ${t.items} WHERE id = $1`;
        return (await c.query({ name: 'by_id', text, values: [id] })).rows[0];
      } finally {
        await c.query('ROLLBACK');
      }
    },
    selectin: async () => {
      const ps = (await c.query({ name: 'parents', text: `SELECT id, name FROM ${t.authors}` }))
        .rows as AuthorRow[];
      const children = await c.query({
        name: 'children',
        text: `SELECT id, author_id, title FROM ${t.books} WHERE author_id = ANY($1)`,
        values: [ps.map((p) => p.id)],
      });
      return attachChildren(ps, children.rows);
    },
    joined: async () => {
      const text = `SELECT a.id, a.name, b.id AS book_id, b.author_id, b.title FROM ${t.authors} a LEFT OUTER JOIN ${t.books} b ON b.author_id = a.id`;
      return foldJoinedRows((await c.query({ name: 'joined', text })).rows);
    },
  });
  const close = async () => {
    await items.close();
    await updates.close();
    await c.end();
  };
  return { baselines, close };
}

export async function postgresOrmSuite(
  sizes: OrmSizes,
  which: readonly string[],
  log: (s: string) => void,
): Promise<OrmRun | undefined> {
  const admin = await connectOrSkip(log);
  if (!admin) return undefined;
  const t = ormTables(`athanor_orm_${process.pid}_${Math.random().toString(36).slice(2, 8)}_`);
  const raw = await rawBaselines(t);
  const orms: OrmAdapter[] = [];
  const count = async (sql: string, values: unknown[] = []) =>
    Number((await admin.query(sql, values)).rows[0].n);
  try {
    await seed(admin, sizes, t);
    orms.push(
      ...(await openOrms(which, {
        athanor: async () => athanorOrm(createEngine(URL, { dialect: athanorDialect, poolSize: 1 }), t),
        'mikro-orm': () => mikroOrm((o) => MikroORM.init(o), { clientUrl: URL }, t),
        typeorm: () => typeOrm({ type: 'postgres', url: URL, extra: { max: 1 } }, t),
      })),
    );
    return await runOrmSuite(
      'postgresql',
      raw.baselines,
      orms,
      {
        clearInserts: async () => void (await admin.query(`TRUNCATE ${t.inserts}`)),
        countInserts: () => count(`SELECT count(*) AS n FROM ${t.inserts}`),
        countNamed: (prefix) =>
          count(`SELECT count(*) AS n FROM ${t.updates} WHERE starts_with(name, $1)`, [prefix]),
        scoreOf: (id) => count(`SELECT score AS n FROM ${t.updates} WHERE id = $1`, [id]),
      },
      sizes,
      log,
    );
  } finally {
    for (const o of orms) await o.close();
    await raw.close();
    await admin.query(`DROP TABLE IF EXISTS ${Object.values(t).join(', ')}`);
    await admin.end();
  }
}
