/**
 * An invalid JS Date (`new Date('x')`) bound to a DateTime or Date column raises
 * ArgumentError before anything is sent (it used to reach the server as '0NaN-NaN-NaN ...'),
 * and the surrounding transaction stays usable.
 */
import { ArgumentError, Column, Date as DateT, DateTime, type Engine, Integer, MetaData, Table, createEngine, insert, select, text, update } from '@athanor/core';
import { URL, available, liveDescribe } from './server';

const d = liveDescribe('invalid Date tests');
const schema = `athanor_nan_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('invalid Date (live PostgreSQL)', () => {
  let engine: Engine;
  const metadata = new MetaData({ schema });
  const events = new Table('events', metadata, {
    id: Column(Integer, { primaryKey: true }),
    at: Column(DateTime),
    atz: Column(DateTime({ timezone: true })),
    day: Column(DateT),
  });
  const bad = new Date('x');
  const message = /^Invalid Date bound to a DateTime column/;
  const count = () => engine.connect(async (c) => (await c.execute(select(events.c.id))).all().length);

  beforeAll(async () => {
    engine = createEngine(URL);
    await engine.connect((c) => c.execute(text(`CREATE SCHEMA ${schema}`)));
    await metadata.createAll(engine);
  });

  afterAll(async () => {
    if (!available) return;
    try {
      await engine.connect((c) => c.execute(text(`DROP SCHEMA ${schema} CASCADE`)));
    } finally {
      await engine.dispose();
    }
  });

  test('INSERT into timestamp, timestamptz and date columns: ArgumentError, nothing stored', async () => {
    for (const values of [{ at: bad }, { atz: bad }]) {
      const err = await engine.begin((c) => c.execute(insert(events).values(values))).catch((e) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      expect(err.message).toMatch(message);
    }
    await expect(engine.begin((c) => c.execute(insert(events).values({ day: bad as any })))).rejects.toThrow(/^Invalid Date bound to a Date column/);
    expect(await count()).toBe(0);
  });

  test('WHERE, UPDATE SET and executemany refuse it too; valid values still round-trip', async () => {
    const at = new Date('2024-02-29T23:59:58.123Z');
    await engine.begin((c) => c.execute(insert(events).values({ id: 1, at, atz: at, day: '2024-02-29' })));
    await expect(engine.connect((c) => c.execute(select(events.c.id).where(events.c.at.lt(bad))))).rejects.toThrow(message);
    await expect(engine.begin((c) => c.execute(update(events).values({ atz: bad })))).rejects.toBeInstanceOf(ArgumentError);
    await expect(engine.begin((c) => c.execute(insert(events), [{ id: 2, at }, { id: 3, at: bad }]))).rejects.toThrow(message);
    const rows = await engine.connect(async (c) => (await c.execute(select(events.c.id, events.c.at, events.c.atz, events.c.day))).all());
    expect(rows).toEqual([{ id: 1, at, atz: at, day: '2024-02-29' }]);
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
