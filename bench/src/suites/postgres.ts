/** PostgreSQL: uniquely named tables in the test database, dropped at the end. */
import { createEngine } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-postgres';
import { athanorAdapter } from '../contenders/athanor';
import {
  PG_URL,
  connectOrSkip,
  drizzlePostgres,
  knexServer,
  kyselyPostgres,
  rawPostgres,
} from '../contenders/postgres';
import { makeItems } from '../data';
import { type SuiteSizes, runSuite } from '../suite';
import type { WorkloadResult } from '../types';

const URL = PG_URL;
const DDL = (name: string) =>
  `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, score INTEGER NOT NULL, created_at TIMESTAMP NOT NULL)`;

export async function postgresSuite(
  sizes: SuiteSizes,
  log: (s: string) => void,
): Promise<WorkloadResult[] | undefined> {
  const admin = await connectOrSkip(log);
  if (!admin) return undefined;
  const prefix = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const t = { items: `${prefix}_items`, inserts: `${prefix}_ins` };
  await admin.query(DDL(t.items));
  await admin.query(DDL(t.inserts));
  for (let i = 0; i < sizes.rows; i += 1000) {
    const batch = makeItems(Math.min(1000, sizes.rows - i), i);
    const values = batch
      .map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`)
      .join(', ');
    await admin.query(
      `INSERT INTO ${t.items} VALUES ${values}`,
      batch.flatMap((r) => [r.id, r.name, r.email, r.score, r.createdAt]),
    );
  }
  await admin.query(`ANALYZE ${t.items}`);
  const engine = createEngine(URL, { dialect: athanorDialect, poolSize: 1 });
  const adapters = [
    await rawPostgres(URL, t),
    await athanorAdapter(engine, t),
    kyselyPostgres(URL, t),
    knexServer('pg', URL, t),
    await drizzlePostgres(URL, t),
  ];
  const count = async (q: string) => Number((await admin.query(q)).rows[0].n);
  try {
    return await runSuite(
      'postgresql',
      adapters,
      {
        clearInserts: async () => void (await admin.query(`TRUNCATE ${t.inserts}`)),
        countInserts: () => count(`SELECT count(*) AS n FROM ${t.inserts}`),
        markItems: async (n) =>
          void (await admin.query(`UPDATE ${t.items} SET score = -1 WHERE id <= $1`, [n])),
        countMarked: () => count(`SELECT count(*) AS n FROM ${t.items} WHERE score = -1`),
      },
      sizes,
      log,
    );
  } finally {
    for (const a of adapters) await a.close();
    await admin.query(`DROP TABLE IF EXISTS ${t.items}, ${t.inserts}`);
    await admin.end();
  }
}
