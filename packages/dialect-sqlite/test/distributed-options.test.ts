/**
 * The options that belong to distributed databases and poolers are refused on SQLite with a
 * typed error, never ignored: asOfSystemTime() (CockroachDB), begin({ priority }) (CockroachDB),
 * pooler: 'transaction' (a server behind a pooler), a URL flavor.
 */
import { ArgumentError, Column, Integer, MetaData, Table, UnsupportedCompilationError, createEngine, insert, select } from '@athanor/core';

const metadata = new MetaData();
const items = new Table('items', metadata, { id: Column(Integer, { primaryKey: true }), qty: Column(Integer) });

test('asOfSystemTime() is refused at compile time naming CockroachDB; the same select without it runs', async () => {
  const engine = createEngine('sqlite://');
  try {
    await metadata.createAll(engine);
    await engine.begin((c) => c.execute(insert(items).values([{ qty: 1 }, { qty: 2 }])));
    const stmt = select(items.c.qty).orderBy(items.c.qty);
    await expect(engine.connect((c) => c.execute(stmt.asOfSystemTime('-10s')))).rejects.toThrow(UnsupportedCompilationError);
    await expect(engine.connect((c) => c.execute(stmt.asOfSystemTime('-10s')))).rejects.toThrow(/CockroachDB's AS OF SYSTEM TIME; the 'sqlite' dialect has no way/);
    expect((await engine.connect((c) => c.scalars(stmt))).all()).toEqual([1, 2]);
  } finally {
    await engine.dispose();
  }
});

test('begin({ priority }) is refused before BEGIN, and the connection stays usable', async () => {
  const engine = createEngine('sqlite://');
  try {
    await metadata.createAll(engine);
    await expect(engine.begin(async (c) => c.execute(insert(items).values({ qty: 9 })), { priority: 'high' })).rejects.toThrow(/priorities are CockroachDB's; SQLite has none/);
    expect((await engine.connect((c) => c.scalars(select(items.c.qty)))).all()).toEqual([]);
    await engine.begin((c) => c.execute(insert(items).values({ qty: 3 })));
    expect((await engine.connect((c) => c.scalars(select(items.c.qty)))).all()).toEqual([3]);
  } finally {
    await engine.dispose();
  }
});

test("pooler: 'transaction' and a URL flavor are refused (there is no server to pool, and no other engine)", () => {
  expect(() => createEngine('sqlite://', { pooler: 'transaction' })).toThrow(ArgumentError);
  expect(() => createEngine('sqlite://', { pooler: 'transaction' })).toThrow(/SQLite has no server/);
  expect(() => createEngine('sqlite://?flavor=tidb')).toThrow(/The sqlite dialect has no flavor 'tidb' \(it has none\)/);
});
