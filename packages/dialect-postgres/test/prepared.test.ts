/**
 * Engine statements run as named prepared statements: they must survive DDL that changes the
 * result type, and stay within prepared_statement_cache_size per connection. executemany's
 * multi-row INSERT batches are checked for every dialect by the compliance suite's executemany group.
 */
import {
  BigInteger,
  Column,
  Integer,
  MetaData,
  NotSupportedError,
  Table,
  bindparam,
  delete_,
  createEngine,
  insert,
  select,
  text,
  type Engine,
} from '@athanor/core';
import { URL, liveDescribe } from './server';

const d = liveDescribe('prepared-statement tests');
const schema = `athanor_prep_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('PostgreSQL prepared statements', () => {
  let engine: Engine;
  const metadata = new MetaData({ schema });
  const items = new Table('items', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    score: Column(Integer),
  });
  const wideItems = new Table('items', new MetaData({ schema }), {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    score: Column(BigInteger),
  });

  beforeAll(async () => {
    engine = createEngine(URL, { poolSize: 1 });
    await engine.connect(async (conn) => void (await conn.execute(text(`CREATE SCHEMA ${schema}`))));
    await metadata.createAll(engine);
  });

  afterAll(async () => {
    try {
      await engine.connect(async (conn) => void (await conn.execute(text(`DROP SCHEMA ${schema} CASCADE`))));
    } finally {
      await engine.dispose();
    }
  });

  test('IN lists of many lengths share one compiled statement and leave no prepared statement per length', async () => {
    await engine.connect(async (conn) => {
      await conn.execute(insert(items), [1, 2, 3].map((id) => ({ id, score: id * 10 })));
      const count = async () =>
        Number((await conn.execute(text('SELECT count(*) AS n FROM pg_prepared_statements'))).scalar());
      const before = await count();
      for (let n = 1; n <= 40; n++) {
        const ids = Array.from({ length: n }, (_, i) => i + 1);
        const found = (await conn.execute(select(items.c.id).where(items.c.id.in(ids)).orderBy(items.c.id))).scalars().all();
        expect(found).toEqual(ids.filter((i) => i <= 3));
      }
      // The statement without the list (count itself) may add one; forty list lengths add none.
      expect((await count()) - before).toBeLessThanOrEqual(1);
      await conn.execute(delete_(items));
    });
  });

  test('a prepared SELECT is prepared again after ALTER COLUMN TYPE changed its result type', async () => {
    const byId = select(items.c.id, items.c.score).where(items.c.id.eq(bindparam('id')));
    await engine.connect(async (conn) => {
      await conn.execute(insert(items), [
        { id: 1, score: 10 },
        { id: 2, score: 20 },
      ]);
      expect((await conn.execute(byId, { id: 1 })).all()).toEqual([{ id: 1, score: 10 }]);
      await conn.execute(text(`ALTER TABLE ${schema}.items ALTER COLUMN score TYPE BIGINT`));
      // Outside a transaction: prepared again and retried at once.
      expect((await conn.execute(byId, { id: 2 })).all()).toEqual([{ id: 2, score: 20 }]);
      expect((await conn.execute(select(wideItems).where(wideItems.c.id.eq(2)))).all()).toEqual([
        { id: 2, score: 20n },
      ]);
    });
  });

  test('inside a transaction the stale plan fails once; after rollback the statement works again', async () => {
    const byId = select(items.c.id, items.c.score).where(items.c.id.eq(bindparam('id')));
    await engine.connect(async (conn) => {
      expect((await conn.execute(byId, { id: 1 })).all()).toEqual([{ id: 1, score: 10 }]);
      await conn.execute(text(`ALTER TABLE ${schema}.items ALTER COLUMN score TYPE NUMERIC(10, 0)`));
      await conn.begin();
      await expect(conn.execute(byId, { id: 1 })).rejects.toThrow(NotSupportedError);
      await conn.rollback();
      await conn.begin();
      expect((await conn.execute(byId, { id: 1 })).all()).toEqual([{ id: 1, score: 10 }]);
      await conn.commit();
    });
  });

  test('past prepared_statement_cache_size the least recently used statement is deallocated on the server', async () => {
    const small = createEngine(`${URL}${URL.includes('?') ? '&' : '?'}prepared_statement_cache_size=3`, { poolSize: 1 });
    try {
      await small.connect(async (conn) => {
        const ids = [101, 102, 103, 104, 105, 106];
        await conn.execute(insert(items), ids.map((id) => ({ id, score: id * 10 })));
        // The count itself runs as raw driver SQL: it prepares nothing.
        const prepared = async () => Number((await conn.execDriverSQL('SELECT count(*) FROM pg_prepared_statements')).rows[0][0]);
        // Six statements of different SQL (a label each), each run twice.
        const shapes = [1, 2, 3, 4, 5, 6].map((n) => select(items.c.id.label(`id_${n}`)).where(items.c.score.gt(bindparam('min'))).orderBy(items.c.id));
        for (let round = 0; round < 2; round++) {
          for (const stmt of shapes) {
            expect((await conn.execute(stmt, { min: 1000 })).scalars().all()).toEqual(ids);
            expect(await prepared()).toBeLessThanOrEqual(3);
          }
        }
        expect(await prepared()).toBe(3);
        // Retired statements are deallocated only outside a transaction; inside one they wait.
        await conn.begin();
        for (const stmt of shapes) await conn.execute(stmt, { min: 1000 });
        expect(await prepared()).toBeGreaterThan(3);
        await conn.commit();
        expect((await conn.execute(shapes[0], { min: 1050 })).scalars().all()).toEqual([106]);
        expect(await prepared()).toBe(3);
        await conn.execute(delete_(items).where(items.c.id.ge(101)));
      });
    } finally {
      await small.dispose();
    }
  });

  test('prepared_statement_cache_size=0 prepares nothing; a bad value is refused with the fix', async () => {
    const none = createEngine(`${URL}${URL.includes('?') ? '&' : '?'}prepared_statement_cache_size=0`, { poolSize: 1 });
    try {
      await none.connect(async (conn) => {
        await conn.execute(select(items.c.id).where(items.c.id.eq(bindparam('id'))), { id: 1 });
        expect(Number((await conn.execDriverSQL('SELECT count(*) FROM pg_prepared_statements')).rows[0][0])).toBe(0);
      });
    } finally {
      await none.dispose();
    }
    expect(() => createEngine(`${URL}${URL.includes('?') ? '&' : '?'}prepared_statement_cache_size=lots`)).toThrow(/prepared_statement_cache_size must be a whole number/);
  });
});
