/** The ORM workloads on one SQLite file that every contender opens (WAL, as the SQLite suite). */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, parseTimestampText } from '@athanor/core';
import { athanorDialect } from '@athanor/dialect-sqlite';
import { MikroORM } from '@mikro-orm/better-sqlite';
import Database from 'better-sqlite3';
import { rawSqlite } from '../contenders/sqlite';
import { makeItems, sqliteDate } from '../data';
import { athanorOrm } from './athanor';
import { mikroOrm } from './mikro';
import { type AuthorRow, attachChildren, authorsAndBooks, foldJoinedRows, ormDdl, ormTables } from './schema';
import { type OrmRun, type OrmSizes, openOrms, rawBaselinesFrom, runOrmSuite } from './suite';
import { typeOrm } from './typeorm';

function seed(db: Database.Database, sizes: OrmSizes, t: ReturnType<typeof ormTables>) {
  for (const stmt of ormDdl(t, 'DATETIME')) db.exec(stmt);
  const { authors, books } = authorsAndBooks(sizes.parents);
  db.transaction(() => {
    for (const table of [t.items, t.updates]) {
      const ins = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?)`);
      for (const r of makeItems(sizes.rows)) ins.run(r.id, r.name, r.email, r.score, sqliteDate(r.createdAt));
    }
    const insAuthor = db.prepare(`INSERT INTO ${t.authors} VALUES (?, ?)`);
    for (const a of authors) insAuthor.run(a.id, a.name);
    const insBook = db.prepare(`INSERT INTO ${t.books} VALUES (?, ?, ?)`);
    for (const b of books) insBook.run(b.id, b.authorId, b.title);
  })();
}

function rawBaselines(file: string, t: ReturnType<typeof ormTables>, sizes: OrmSizes) {
  const items = rawSqlite(file, { items: t.items, inserts: t.inserts });
  const updates = rawSqlite(file, { items: t.updates, inserts: t.inserts });
  const db = new Database(file);
  const parents = db.prepare(`SELECT id, name FROM ${t.authors}`);
  const children = db.prepare(
    `SELECT id, author_id, title FROM ${t.books} WHERE author_id IN (${Array(sizes.parents).fill('?').join(', ')})`,
  );
  const joinedRows = db.prepare(
    `SELECT a.id, a.name, b.id AS book_id, b.author_id, b.title FROM ${t.authors} a LEFT OUTER JOIN ${t.books} b ON b.author_id = a.id`,
  );
  const [begin, rollback] = [db.prepare('BEGIN'), db.prepare('ROLLBACK')];
  const byId = db.prepare(`SELECT id, name, email, score, created_at FROM ${t.items} WHERE id = ?`);
  const baselines = rawBaselinesFrom(items, updates, {
    toDate: (v) => new Date(parseTimestampText(v as string)),
    getInTransaction: (id) => {
      begin.run();
      try {
        return byId.get(id);
      } finally {
        rollback.run();
      }
    },
    selectin: async () => {
      const ps = parents.all() as AuthorRow[];
      return attachChildren(ps, children.all(ps.map((p) => p.id)) as { author_id: number }[]);
    },
    joined: async () => foldJoinedRows(joinedRows.all() as never),
  });
  const close = async () => {
    await items.close();
    await updates.close();
    db.close();
  };
  return { baselines, close };
}

export async function sqliteOrmSuite(
  sizes: OrmSizes,
  which: readonly string[],
  log: (s: string) => void,
): Promise<OrmRun> {
  const file = join(tmpdir(), `athanor_ormbench_${process.pid}_${Math.random().toString(36).slice(2, 8)}.db`);
  const t = ormTables('');
  const admin = new Database(file);
  admin.pragma('journal_mode = WAL');
  seed(admin, sizes, t);
  const raw = rawBaselines(file, t, sizes);
  const orms = await openOrms(which, {
    athanor: async () =>
      athanorOrm(createEngine(`sqlite:///${file}`, { dialect: athanorDialect, poolSize: 1 }), t),
    'mikro-orm': () => mikroOrm((o) => MikroORM.init(o), { dbName: file }, t),
    typeorm: () => typeOrm({ type: 'better-sqlite3', database: file }, t),
  });
  const count = (sql: string, ...args: unknown[]) =>
    admin
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  try {
    return await runOrmSuite(
      'sqlite',
      raw.baselines,
      orms,
      {
        clearInserts: async () => void admin.exec(`DELETE FROM ${t.inserts}`),
        countInserts: async () => count(`SELECT count(*) FROM ${t.inserts}`),
        countNamed: async (prefix) =>
          count(`SELECT count(*) FROM ${t.updates} WHERE substr(name, 1, ?) = ?`, prefix.length, prefix),
        scoreOf: async (id) => count(`SELECT score FROM ${t.updates} WHERE id = ?`, id),
      },
      sizes,
      log,
    );
  } finally {
    for (const o of orms) await o.close();
    await raw.close();
    admin.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}
