/** Identity columns and sequences on SQLite: Identity() is the rowid key; Sequence() is refused with the fix named. */
import { Column, Identity, Integer, MetaData, Sequence, String, Table, UnsupportedCompilationError, createEngine, insert, select, type Engine } from '@athanor/core';
import '../src';

describe('SQLite Identity and Sequence', () => {
  let engine: Engine;
  beforeEach(() => {
    engine = createEngine('sqlite://');
  });
  afterEach(async () => {
    await engine.dispose();
  });

  test('Identity() on the integer primary key numbers rows like any autoincrement key', async () => {
    const metadata = new MetaData();
    const tickets = new Table('tickets', metadata, {
      id: Column(Integer, Identity({ start: 500 }), { primaryKey: true }),
      title: Column(String(20), { nullable: false }),
    });
    await metadata.createAll(engine);
    const res = await engine.begin((conn) => conn.execute(insert(tickets).values({ title: 'a' })));
    expect(res.insertedPrimaryKey).toBe(1);
    await engine.begin((conn) => conn.execute(insert(tickets), [{ title: 'b' }]));
    const rows = await engine.connect(async (conn) => (await conn.execute(select(tickets.c.id, tickets.c.title).orderBy(tickets.c.id))).all());
    expect(rows).toEqual([
      { id: 1, title: 'a' },
      { id: 2, title: 'b' },
    ]);
  });

  test('createAll with a Sequence fails before creating anything, naming the fix', async () => {
    const metadata = new MetaData();
    new Table('plain', metadata, { id: Column(Integer, { primaryKey: true }) });
    new Table('orders', metadata, { id: Column(Integer, Sequence('order_no_seq'), { primaryKey: true }) });
    const err = await metadata.createAll(engine).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnsupportedCompilationError);
    expect((err as Error).message).toBe(
      "Sequence 'order_no_seq' is not supported by the 'sqlite' dialect: SQLite has no sequences. Use Identity() or an autoincrement integer primary key instead.",
    );
    const tables = await engine.connect(async (conn) => (await conn.execDriverSQL("SELECT name FROM sqlite_master WHERE type = 'table'")).rows);
    expect(tables).toEqual([]);
  });
});
