/** MariaDB: a uniquely named database, dropped at the end. */
import { createEngine } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-mysql';
import mysql from 'mysql2/promise';
import { athanorAdapter } from '../contenders/athanor';
import { drizzleMysql, kyselyMysql, rawMysql } from '../contenders/mysql';
import { knexServer } from '../contenders/postgres';
import { makeItems } from '../data';
import { type SuiteSizes, runSuite } from '../suite';
import type { WorkloadResult } from '../types';

const BASE = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const DDL = (name: string) =>
  `CREATE TABLE ${name} (id INT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, score INT NOT NULL, created_at DATETIME NOT NULL)`;

export async function mysqlSuite(
  sizes: SuiteSizes,
  log: (s: string) => void,
): Promise<WorkloadResult[] | undefined> {
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ uri: BASE, connectTimeout: 3000 });
  } catch (e) {
    log(
      `!!! MariaDB SKIPPED: cannot reach ${BASE} (${(e as Error).message}); start it with \`pnpm db:start\` !!!`,
    );
    return undefined;
  }
  const dbName = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.query(`USE ${dbName}`);
  const url = BASE.replace(/\/[^/]*$/, `/${dbName}`);
  const t = { items: 'items', inserts: 'items_ins' };
  await admin.query(DDL(t.items));
  await admin.query(DDL(t.inserts));
  for (let i = 0; i < sizes.rows; i += 1000) {
    const batch = makeItems(Math.min(1000, sizes.rows - i), i);
    await admin.query(`INSERT INTO ${t.items} VALUES ?`, [
      batch.map((r) => [r.id, r.name, r.email, r.score, r.createdAt]),
    ]);
  }
  const engine = createEngine(url, { dialect: athanorDialect, poolSize: 1 });
  const adapters = [
    await rawMysql(url, t),
    await athanorAdapter(engine, t),
    kyselyMysql(url, t),
    knexServer('mysql2', url, t),
    await drizzleMysql(url, t),
  ];
  const count = async (q: string) => Number(((await admin.query(q))[0] as any[])[0].n);
  try {
    return await runSuite(
      'mariadb',
      adapters,
      {
        clearInserts: async () => void (await admin.query(`TRUNCATE ${t.inserts}`)),
        countInserts: () => count(`SELECT count(*) AS n FROM ${t.inserts}`),
        markItems: async (n) =>
          void (await admin.query(`UPDATE ${t.items} SET score = -1 WHERE id <= ?`, [n])),
        countMarked: () => count(`SELECT count(*) AS n FROM ${t.items} WHERE score = -1`),
      },
      sizes,
      log,
    );
  } finally {
    for (const a of adapters) await a.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.end();
  }
}
