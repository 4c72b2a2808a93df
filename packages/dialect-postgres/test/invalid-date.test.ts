/**
 * An invalid JS Date (`new Date('x')`) bound to a timestamptz column raises ArgumentError
 * before anything is sent (the shared compliance suite covers timestamp and date columns).
 */
import { ArgumentError, Column, DateTime, Integer, insert, MetaData, select, Table } from '@athanor/core';
import { engineInOwnSchema, liveDescribe } from './server';

const d = liveDescribe('invalid Date tests');
const schema = `athanor_nan_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('invalid Date (live PostgreSQL)', () => {
  const metadata = new MetaData({ schema });
  const events = new Table('events', metadata, {
    id: Column(Integer, { primaryKey: true }),
    atz: Column(DateTime({ timezone: true })),
  });
  const bad = new Date('x');
  const message = /^Invalid Date bound to a DateTime column/;

  const engine = engineInOwnSchema(schema, metadata);

  // The compliance suite covers DateTime (timestamp) and Date columns; this is PostgreSQL's timestamptz.
  test('timestamptz: ArgumentError before sending, nothing stored', async () => {
    const err = await engine()
      .begin((c) => c.execute(insert(events).values({ id: 1, atz: bad })))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toMatch(message);
    const at = new Date('2024-02-29T23:59:58.123Z');
    await engine().begin((c) => c.execute(insert(events).values({ id: 2, atz: at })));
    const rows = await engine().connect(async (c) =>
      (await c.execute(select(events.c.id, events.c.atz))).all(),
    );
    expect(rows).toEqual([{ id: 2, atz: at }]);
  });
});
