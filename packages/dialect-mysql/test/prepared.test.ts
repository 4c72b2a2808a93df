/**
 * Engine statements with parameters run as server-side prepared statements (mysql2 execute,
 * cached per connection): they must survive DDL that changes the table, and executemany's
 * multi-row INSERT batches must insert every row with its values intact.
 */
import {
  ArgumentError,
  BigInteger,
  DataError,
  Column,
  DateTime,
  Integer,
  JSON as JSONT,
  MetaData,
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
const dbName = `athanor_prep_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('MySQL/MariaDB prepared statements', () => {
  let engine: Engine;
  const metadata = new MetaData();
  const items = new Table('items', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    score: Column(Integer),
  });
  const wideItems = new Table('items', new MetaData(), {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    score: Column(BigInteger),
  });
  const rows = new Table('batch_rows', metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(Text, { nullable: false }),
    at: Column(DateTime, { nullable: false }),
    doc: Column(JSONT()),
  });

  beforeAll(async () => {
    const admin = createEngine(URL);
    await admin.connect(async (conn) => void (await conn.execute(text(`CREATE DATABASE ${dbName}`))));
    await admin.dispose();
    engine = createEngine(`${URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${dbName}`, { poolSize: 1 });
    await metadata.createAll(engine);
  });

  afterAll(async () => {
    try {
      await engine.connect(async (conn) => void (await conn.execute(text(`DROP DATABASE ${dbName}`))));
    } finally {
      await engine.dispose();
    }
  });

  test('a prepared SELECT still reads its table after ALTER TABLE changed a column type', async () => {
    const byId = select(items.c.id, items.c.score).where(items.c.id.eq(bindparam('id')));
    await engine.connect(async (conn) => {
      await conn.execute(insert(items), [
        { id: 1, score: 10 },
        { id: 2, score: 20 },
      ]);
      expect((await conn.execute(byId, { id: 1 })).all()).toEqual([{ id: 1, score: 10 }]);
      await conn.execute(text('ALTER TABLE items MODIFY score BIGINT'));
      await conn.execute(text('UPDATE items SET score = 9007199254740993 WHERE id = 2'));
      expect((await conn.execute(byId, { id: 1 })).all()).toEqual([{ id: 1, score: 10 }]);
      const wide = select(wideItems).where(wideItems.c.id.eq(bindparam('id')));
      expect((await conn.execute(wide, { id: 2 })).all()).toEqual([{ id: 2, score: 9007199254740993n }]);
    });
  });

  test('executemany INSERT of 2,700 rows: two full prepared batches and a remainder long enough for the text protocol', async () => {
    const base = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
    const early = new Date('0005-03-04T05:06:07.089Z').getTime();
    const data = Array.from({ length: 2700 }, (_, i) => ({
      id: i + 1,
      name: `name ${i + 1} 🎉`,
      // Years 1–999 on some rows, in the prepared batches and in the text-protocol remainder.
      at: new Date((i % 97 === 0 ? early : base) + i * 60_000),
      doc: i % 2 ? { n: i, tags: ['a', 'b'] } : null,
    }));
    await engine.begin(async (conn) => {
      expect((await conn.execute(insert(rows), data)).rowcount).toBe(2700);
    });
    // Again with other ids: the full batches reuse their prepared statement.
    await engine.begin(async (conn) => {
      expect(
        (
          await conn.execute(
            insert(rows),
            data.map((r) => ({ ...r, id: r.id + 10_000 })),
          )
        ).rowcount,
      ).toBe(2700);
    });
    const back = await engine.connect(async (conn) =>
      (await conn.execute(select(rows).orderBy(rows.c.id))).all(),
    );
    expect(back).toHaveLength(5400);
    expect(back.slice(0, 2700)).toEqual(data);
    expect(back[2700 + 1999]).toEqual({ ...data[1999], id: 12000 });
    expect(back[5399]).toEqual({ ...data[2699], id: 12700 });
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

  test('DATETIME values of years 1–999 round-trip', async () => {
    const old = [
      new Date('0001-01-01T00:00:00.000Z'),
      new Date('0099-12-31T23:59:59.999Z'),
      new Date('0999-06-15T12:30:45.123Z'),
      new Date('2024-02-29T23:59:58.120Z'),
    ];
    const data = old.map((at, i) => ({ id: 50_000 + i, name: 'old', at, doc: null }));
    await engine.begin(async (conn) => {
      // executemany (one multi-row batch) and single-row inserts.
      await conn.execute(insert(rows), data.slice(0, 2));
      for (const r of data.slice(2)) await conn.execute(insert(rows).values(r));
    });
    const back = await engine.connect(async (conn) =>
      (await conn.execute(select(rows.c.at).where(rows.c.id.ge(50_000)).orderBy(rows.c.id))).scalars().all(),
    );
    expect(back).toEqual(old);
  });

  test('executemany INSERT: keys in another order are the same keys; a missing key is refused', async () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    await engine.begin(async (conn) => {
      const r = await conn.execute(insert(rows), [
        { id: 60_001, name: 'a', at, doc: null },
        { at, name: 'b', id: 60_002, doc: null },
      ]);
      expect(r.rowcount).toBe(2);
    });
    await expect(
      engine.begin((conn) =>
        conn.execute(insert(rows), [
          { id: 60_003, name: 'c', at, doc: null },
          { id: 60_004, name: 'd', doc: null },
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

  test('an invalid Date is refused by the server, not stored', async () => {
    await expect(
      engine.begin((conn) =>
        conn.execute(insert(rows).values({ id: 70_001, name: 'bad', at: new Date(Number.NaN), doc: null })),
      ),
    ).rejects.toThrow(DataError);
    const n = await engine.connect(async (conn) =>
      (await conn.execute(select(rows.c.id).where(rows.c.id.eq(70_001)))).all(),
    );
    expect(n).toEqual([]);
  });
});
