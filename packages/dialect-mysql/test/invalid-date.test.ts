/**
 * An invalid JS Date (`new Date('x')`) bound to a DateTime or Date column raises
 * ArgumentError before anything is sent (it used to reach the server as 'NaN-NaN-NaN ...'),
 * and the surrounding transaction stays usable.
 */
import { ArgumentError, Column, Date as DateT, DateTime, type Engine, Integer, MetaData, Table, createEngine, insert, select, update } from '@athanor/core';
import { URL, available, liveDescribe } from './server';

const d = liveDescribe('invalid Date tests');

d('invalid Date (live MySQL/MariaDB)', () => {
  let engine: Engine;
  const metadata = new MetaData();
  const events = new Table(`athanor_nan_${process.pid}_${Math.random().toString(36).slice(2, 8)}`, metadata, {
    id: Column(Integer, { primaryKey: true }),
    at: Column(DateTime),
    day: Column(DateT),
  });
  const bad = new Date('x');
  const message = /^Invalid Date bound to a DateTime column/;
  const count = () => engine.connect(async (c) => (await c.execute(select(events.c.id))).all().length);

  beforeAll(async () => {
    engine = createEngine(URL);
    await metadata.createAll(engine);
  });

  afterAll(async () => {
    if (!available) return;
    try {
      await metadata.dropAll(engine);
    } finally {
      await engine.dispose();
    }
  });

  test('INSERT into DATETIME and DATE columns: ArgumentError, nothing stored', async () => {
    const err = await engine.begin((c) => c.execute(insert(events).values({ at: bad }))).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toMatch(message);
    await expect(engine.begin((c) => c.execute(insert(events).values({ day: bad as any })))).rejects.toThrow(/^Invalid Date bound to a Date column/);
    expect(await count()).toBe(0);
  });

  test('WHERE, UPDATE SET and executemany refuse it too; valid values still round-trip', async () => {
    const at = new Date('2024-02-29T23:59:58.123Z');
    await engine.begin((c) => c.execute(insert(events).values({ id: 1, at, day: '2024-02-29' })));
    await expect(engine.connect((c) => c.execute(select(events.c.id).where(events.c.at.lt(bad))))).rejects.toThrow(message);
    await expect(engine.begin((c) => c.execute(update(events).values({ at: bad })))).rejects.toBeInstanceOf(ArgumentError);
    await expect(engine.begin((c) => c.execute(insert(events), [{ id: 2, at }, { id: 3, at: bad }]))).rejects.toThrow(message);
    // A valid Date bound to a DATE column is its UTC day.
    await engine.begin((c) => c.execute(insert(events).values({ id: 4, day: new Date('2024-03-01T23:30:00Z') as any })));
    const rows = await engine.connect(async (c) => (await c.execute(select(events.c.id, events.c.at, events.c.day).orderBy(events.c.id))).all());
    expect(rows).toEqual([
      { id: 1, at, day: '2024-02-29' },
      { id: 4, at: null, day: '2024-03-01' },
    ]);
  });

  test('the transaction stays usable after the refused statement', async () => {
    await engine.begin(async (c) => {
      await expect(c.execute(insert(events).values({ id: 10, at: bad }))).rejects.toBeInstanceOf(ArgumentError);
      await c.execute(insert(events).values({ id: 11, at: null }));
    });
    const ids = await engine.connect(async (c) => (await c.execute(select(events.c.id).where(events.c.id.ge(10)))).scalars().all());
    expect(ids).toEqual([11]);
  });
});
