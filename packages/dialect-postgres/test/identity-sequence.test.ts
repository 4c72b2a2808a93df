/** Identity columns and sequences on a live PostgreSQL: DDL round trip, generated values, RETURNING, reflection. */
import { Column, Identity, Integer, MetaData, ProgrammingError, Sequence, String, Table, createEngine, insert, inspect, select, text, type Engine } from '@athanor/core';
import { URL, liveDescribe } from './server';

const d = liveDescribe('identity/sequence tests');
const schema = `athanor_seq_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('PostgreSQL Identity and Sequence', () => {
  let engine: Engine;
  const metadata = new MetaData({ schema });
  const orderNo = Sequence('order_no_seq', { start: 1000, increment: 10 });
  const orders = new Table('orders', metadata, {
    id: Column(Integer, orderNo, { primaryKey: true }),
    item: Column(String(20), { nullable: false }),
  });
  const tickets = new Table('tickets', metadata, {
    id: Column(Integer, Identity({ always: true, start: 500, increment: 5 }), { primaryKey: true }),
    title: Column(String(20), { nullable: false }),
  });

  const sequenceExists = () =>
    engine.connect(async (conn) => (await conn.execute(text(`SELECT count(*) AS n FROM pg_sequences WHERE schemaname = '${schema}' AND sequencename = 'order_no_seq'`))).scalar());

  beforeAll(async () => {
    engine = createEngine(URL);
    await engine.connect((conn) => conn.execute(text(`CREATE SCHEMA ${schema}`)));
    await metadata.createAll(engine);
  });
  afterAll(async () => {
    try {
      await engine.connect((conn) => conn.execute(text(`DROP SCHEMA ${schema} CASCADE`)));
    } finally {
      await engine.dispose();
    }
  });

  test('createAll created the sequence in the table schema; a second createAll (checkFirst) is a no-op', async () => {
    expect(Number(await sequenceExists())).toBe(1);
    await metadata.createAll(engine);
    expect(Number(await sequenceExists())).toBe(1);
  });

  test('INSERT without the key takes nextval; RETURNING sees it', async () => {
    const rows = await engine.begin(async (conn) => (await conn.execute(insert(orders).values({ item: 'apple' }).returning(orders.c.id, orders.c.item))).all());
    expect(rows).toEqual([{ id: 1000, item: 'apple' }]);
    await engine.begin((conn) => conn.execute(insert(orders), [{ item: 'pear' }, { item: 'plum' }]));
    const all = await engine.connect(async (conn) => (await conn.execute(select(orders.c.id, orders.c.item).orderBy(orders.c.id))).all());
    expect(all).toEqual([
      { id: 1000, item: 'apple' },
      { id: 1010, item: 'pear' },
      { id: 1020, item: 'plum' },
    ]);
  });

  test('sequence.nextValue() in a SELECT advances the sequence', async () => {
    const v = await engine.connect(async (conn) => (await conn.execute(select(orderNo.nextValue().label('v')))).scalar());
    expect(v).toBe(1030);
  });

  test('Identity({ always, start, increment }): generated values, explicit values refused', async () => {
    const rows = await engine.begin(async (conn) => {
      await conn.execute(insert(tickets), [{ title: 'a' }, { title: 'b' }]);
      return (await conn.execute(select(tickets.c.id, tickets.c.title).orderBy(tickets.c.id))).all();
    });
    expect(rows).toEqual([
      { id: 500, title: 'a' },
      { id: 505, title: 'b' },
    ]);
    await expect(engine.begin((conn) => conn.execute(insert(tickets).values({ id: 1, title: 'c' })))).rejects.toBeInstanceOf(ProgrammingError);
  });

  test('reflection sees both columns as autoincrement', async () => {
    const insp = inspect(engine);
    const ordersCols = await insp.getColumns('orders', schema);
    const ticketCols = await insp.getColumns('tickets', schema);
    expect(ordersCols.find((c) => c.name === 'id')?.autoincrement).toBe(true);
    expect(ticketCols.find((c) => c.name === 'id')?.autoincrement).toBe(true);
  });

  test('dropAll drops the tables, then the sequence', async () => {
    await metadata.dropAll(engine);
    expect(Number(await sequenceExists())).toBe(0);
    await metadata.dropAll(engine); // checkFirst: nothing left, nothing fails
    await metadata.createAll(engine);
    expect(Number(await sequenceExists())).toBe(1);
  });
});
