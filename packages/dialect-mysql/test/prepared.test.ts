/**
 * Engine statements with parameters run as server-side prepared statements (mysql2 execute,
 * cached per connection): they must survive DDL that changes the table, and executemany's
 * multi-row INSERT batches must insert every row with its values intact.
 */
import {
  BigInteger,
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

  test('executemany INSERT of 2,345 rows: two full prepared batches and a shorter remainder', async () => {
    const base = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
    const data = Array.from({ length: 2345 }, (_, i) => ({
      id: i + 1,
      name: `name ${i + 1} 🎉`,
      at: new Date(base + i * 60_000),
      doc: i % 2 ? { n: i, tags: ['a', 'b'] } : null,
    }));
    await engine.begin(async (conn) => {
      expect((await conn.execute(insert(rows), data)).rowcount).toBe(2345);
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
});
