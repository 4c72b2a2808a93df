/**
 * Engine statements run as named prepared statements: they must survive DDL that changes
 * the result type, and executemany's multi-row INSERT batches must insert every row.
 */
import {
  ArgumentError,
  BigInteger,
  Column,
  DateTime,
  Integer,
  MetaData,
  NotSupportedError,
  Table,
  Text,
  bindparam,
  delete_,
  createEngine,
  insert,
  select,
  text,
  update,
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
  const rows = new Table('batch_rows', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(Text, { nullable: false }),
    at: Column(DateTime, { nullable: false }),
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

  test('executemany INSERT of 2,345 rows: two full prepared batches and a shorter remainder', async () => {
    const base = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
    const data = Array.from({ length: 2345 }, (_, i) => ({
      id: i + 1,
      name: `name ${i + 1}`,
      at: new Date(base + i * 60_000),
    }));
    await engine.begin(async (conn) => {
      expect((await conn.execute(insert(rows), data)).rowcount).toBe(2345);
    });
    // Again with different ids: the full batches reuse their prepared statement.
    await engine.begin(async (conn) => {
      expect(
        (
          await conn.execute(
            insert(rows),
            data.map((r) => ({ ...r, id: r.id + 10_000 })),
          )
        ).rowcount,
      ).toBe(2345);
    });
    const back = await engine.connect(async (conn) =>
      (await conn.execute(select(rows).orderBy(rows.c.id))).all(),
    );
    expect(back).toHaveLength(4690);
    expect(back.slice(0, 2345)).toEqual(data);
    expect(back[2345 + 1999]).toEqual({ ...data[1999], id: 12000 });
    expect(back[4689]).toEqual({ ...data[2344], id: 12345 });
  });

  test('executemany UPDATE and DELETE with bindparam(): one statement, every parameter set', async () => {
    const upd = update(rows)
      .values({ name: bindparam('newName') })
      .where(rows.c.id.eq(bindparam('key')));
    const del = delete_(rows).where(rows.c.id.eq(bindparam('key')));
    await engine.begin(async (conn) => {
      const r = await conn.execute(upd, [
        { key: 1, newName: 'first' },
        { key: 2, newName: 'second' },
        { key: 999_999, newName: 'nobody' },
        { key: 3, newName: 'third' },
      ]);
      expect(r.rowcount).toBe(3);
      expect((await conn.execute(del, [{ key: 4 }, { key: 5 }, { key: 999_999 }])).rowcount).toBe(2);
    });
    const back = await engine.connect(async (conn) =>
      (await conn.execute(select(rows.c.id, rows.c.name).where(rows.c.id.le(6)).orderBy(rows.c.id))).all(),
    );
    expect(back).toEqual([
      { id: 1, name: 'first' },
      { id: 2, name: 'second' },
      { id: 3, name: 'third' },
      { id: 6, name: expect.stringMatching(/^name 6/) },
    ]);
  });

  test('executemany INSERT: keys in another order are the same keys; a missing key is refused', async () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    await engine.begin(async (conn) => {
      const r = await conn.execute(insert(rows), [
        { id: 60_001, name: 'a', at },
        { at, name: 'b', id: 60_002 },
      ]);
      expect(r.rowcount).toBe(2);
    });
    await expect(
      engine.begin((conn) =>
        conn.execute(insert(rows), [
          { id: 60_003, name: 'c', at },
          { id: 60_004, name: 'd' },
        ]),
      ),
    ).rejects.toThrow(ArgumentError);
    const back = await engine.connect(async (conn) =>
      (
        await conn.execute(
          select(rows.c.id, rows.c.name, rows.c.at).where(rows.c.id.ge(60_000)).orderBy(rows.c.id),
        )
      ).all(),
    );
    expect(back).toEqual([
      { id: 60_001, name: 'a', at },
      { id: 60_002, name: 'b', at },
    ]);
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
