/**
 * `begin({ readOnly: true })` refuses writes on SQLite as PostgreSQL and MariaDB do (SQLite
 * has no read-only transaction: `PRAGMA query_only` for its duration), and the connection
 * is writable again once the transaction ends, however it ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, type Connection, type Engine, Integer, MetaData, OperationalError, PendingRollbackError, Table, createEngine, func, insert, select } from '@athanor/core';
import { athanorDialect } from '../src';

const metadata = new MetaData();
const t = new Table('t', metadata, { id: Column(Integer, { primaryKey: true }) });

let dir: string;
let engine: Engine;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'athanor-ro-'));
  // One pooled connection: every test checks the very connection the read-only transaction used.
  engine = createEngine(`sqlite:///${join(dir, 'ro.db')}`, { dialect: athanorDialect, poolSize: 1, maxOverflow: 0 });
  await metadata.createAll(engine);
});
afterEach(async () => {
  await engine.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const count = (c: Connection) => c.scalar(select(func.count()).selectFrom(t));

/** The connection accepts writes again (and the write is kept). */
async function writable(id: number) {
  await engine.connect((c) => c.execute(insert(t).values({ id })));
  return engine.connect(count);
}

test('a write in a read-only transaction raises OperationalError and writes nothing', async () => {
  const attempt = engine.begin((c) => c.execute(insert(t).values({ id: 1 })), { readOnly: true });
  await expect(attempt).rejects.toBeInstanceOf(OperationalError);
  await expect(attempt).rejects.toThrow(/readonly database: this transaction was begun with readOnly: true/);
  await expect(attempt).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
  expect(await engine.connect(count)).toBe(0);
  expect(await writable(2)).toBe(1);
});

test('reads work, and the connection is writable after COMMIT', async () => {
  await engine.connect((c) => c.execute(insert(t).values({ id: 1 })));
  await engine.connect(async (c) => {
    await c.begin({ readOnly: true });
    expect(await count(c)).toBe(1);
    await c.commit();
    await c.execute(insert(t).values({ id: 2 }));
  });
  expect(await engine.connect(count)).toBe(2);
});

test('after a refused write: PendingRollbackError on commit, then writable', async () => {
  await engine.connect(async (c) => {
    await c.begin({ readOnly: true });
    await expect(c.execute(insert(t).values({ id: 1 }))).rejects.toBeInstanceOf(OperationalError);
    await expect(c.commit()).rejects.toBeInstanceOf(PendingRollbackError);
    await c.execute(insert(t).values({ id: 2 }));
  });
  expect(await engine.connect((c) => c.execute(select(t.c.id)).then((r) => r.scalars().all()))).toEqual([2]);
});

test('a savepoint rolled back inside stays read-only; the transaction ended by close() does not', async () => {
  await engine.connect(async (c) => {
    await c.begin({ readOnly: true });
    await expect(c.beginNested((n) => n.execute(insert(t).values({ id: 1 })))).rejects.toBeInstanceOf(OperationalError);
    await expect(c.execute(insert(t).values({ id: 2 }))).rejects.toBeInstanceOf(OperationalError);
    // Returned to the pool without commit or rollback: close() rolls back.
  });
  expect(await writable(3)).toBe(1);
});

test('other transactions on the connection are not read-only', async () => {
  await engine.begin((c) => count(c), { readOnly: true });
  await engine.begin((c) => c.execute(insert(t).values({ id: 1 })));
  await engine.begin((c) => c.execute(insert(t).values({ id: 2 })), { readOnly: false });
  expect(await engine.connect(count)).toBe(2);
});

test('in memory too', async () => {
  const mem = createEngine('sqlite://', { dialect: athanorDialect });
  try {
    await metadata.createAll(mem);
    await expect(mem.begin((c) => c.execute(insert(t).values({ id: 1 })), { readOnly: true })).rejects.toBeInstanceOf(OperationalError);
    await mem.connect((c) => c.execute(insert(t).values({ id: 2 })));
    expect(await mem.connect(count)).toBe(1);
  } finally {
    await mem.dispose();
  }
});
