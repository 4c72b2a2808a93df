/** SQLite: one database file that every contender opens (better-sqlite3 underneath all of them). */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';
import Database from 'better-sqlite3';
import { athanorAdapter } from '../contenders/athanor';
import { drizzleSqlite, knexSqlite, kyselySqlite, rawSqlite } from '../contenders/sqlite';
import { makeItems, sqliteDate } from '../data';
import { type SuiteSizes, runSuite } from '../suite';
import type { WorkloadResult } from '../types';

const DDL = (name: string) =>
  `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, score INTEGER NOT NULL, created_at DATETIME NOT NULL)`;

export async function sqliteSuite(sizes: SuiteSizes, log: (s: string) => void): Promise<WorkloadResult[]> {
  const file = join(tmpdir(), `athanor_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}.db`);
  const t = { items: 'items', inserts: 'items_ins' };
  const admin = new Database(file);
  admin.pragma('journal_mode = WAL');
  admin.exec(DDL(t.items));
  admin.exec(DDL(t.inserts));
  const ins = admin.prepare(`INSERT INTO ${t.items} VALUES (?, ?, ?, ?, ?)`);
  admin.transaction(() => {
    for (const r of makeItems(sizes.rows)) ins.run(r.id, r.name, r.email, r.score, sqliteDate(r.createdAt));
  })();
  const engine = createEngine(`sqlite:///${file}`, { dialect: athanorDialect, poolSize: 1 });
  const adapters = [
    rawSqlite(file, t),
    await athanorAdapter(engine, t),
    kyselySqlite(file, t),
    knexSqlite(file, t),
    drizzleSqlite(file, t),
  ];
  try {
    return await runSuite(
      'sqlite',
      adapters,
      {
        clearInserts: async () => void admin.exec(`DELETE FROM ${t.inserts}`),
        countInserts: async () => admin.prepare(`SELECT count(*) FROM ${t.inserts}`).pluck().get() as number,
        markItems: async (n) => void admin.prepare(`UPDATE ${t.items} SET score = -1 WHERE id <= ?`).run(n),
        countMarked: async () =>
          admin.prepare(`SELECT count(*) FROM ${t.items} WHERE score = -1`).pluck().get() as number,
      },
      sizes,
      log,
    );
  } finally {
    for (const a of adapters) await a.close();
    admin.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}
