/**
 * Engine statements with parameters run as server-side prepared statements (mysql2 execute,
 * cached per connection): they must survive DDL that changes the table, and DATETIME values must
 * keep years 1–999 and refuse an invalid Date. executemany's batches (prepared full batches, a
 * text-protocol remainder) are checked for every dialect by the compliance suite's executemany group.
 */
import {
  ArgumentError,
  BigInteger,
  Column,
  DateTime,
  Integer,
  JSON as JSONT,
  MetaData,
  Table,
  Text,
  bindparam,
  createEngine,
  insert,
  select,
  text,
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

  test('an invalid Date is refused before it is sent, not stored', async () => {
    await expect(
      engine.begin((conn) =>
        conn.execute(insert(rows).values({ id: 70_001, name: 'bad', at: new Date(Number.NaN), doc: null })),
      ),
    ).rejects.toThrow(ArgumentError);
    const n = await engine.connect(async (conn) =>
      (await conn.execute(select(rows.c.id).where(rows.c.id.eq(70_001)))).all(),
    );
    expect(n).toEqual([]);
  });
});
