/** Identity columns and sequences on a live MySQL/MariaDB: AUTO_INCREMENT start, MariaDB sequences, RETURNING. */
import { Column, Identity, Integer, MetaData, Sequence, String, Table, UnsupportedCompilationError, createEngine, insert, inspect, select, text, type Engine } from '@athanor/core';
import { createConnection } from 'mysql2/promise';
import type { MySQLDialect } from '../src';
import { URL as BASE_URL, liveDescribe } from './server';

const d = liveDescribe('identity/sequence tests');
const dbName = `athanor_seq_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const server = () => {
  const u = new URL(BASE_URL.replace(/^(mysql|mariadb)(\+\w+)?:/, 'http:'));
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || undefined, password: u.password ? decodeURIComponent(u.password) : undefined };
};

d('MySQL/MariaDB Identity and Sequence', () => {
  let engine: Engine;
  const isMariaSequences = () => {
    const dialect = engine.dialect as MySQLDialect;
    return dialect.isMariaDB && dialect.serverVersionAtLeast(10, 3);
  };

  beforeAll(async () => {
    const admin = await createConnection(server());
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    engine = createEngine(`${BASE_URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${dbName}`);
    await engine.connect((conn) => conn.execute(text('SELECT 1'))); // learns the server version
  });
  afterAll(async () => {
    await engine?.dispose();
    const admin = await createConnection(server());
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  });

  test('Identity({ start }) is AUTO_INCREMENT numbering from start', async () => {
    const metadata = new MetaData();
    const tickets = new Table('tickets', metadata, {
      id: Column(Integer, Identity({ start: 500 }), { primaryKey: true }),
      title: Column(String(20), { nullable: false }),
    });
    await metadata.createAll(engine);
    const res = await engine.begin((conn) => conn.execute(insert(tickets).values({ title: 'a' })));
    expect(res.insertedPrimaryKey).toBe(500);
    await engine.begin((conn) => conn.execute(insert(tickets), [{ title: 'b' }, { title: 'c' }]));
    const rows = await engine.connect(async (conn) => (await conn.execute(select(tickets.c.id, tickets.c.title).orderBy(tickets.c.id))).all());
    expect(rows).toEqual([
      { id: 500, title: 'a' },
      { id: 501, title: 'b' },
      { id: 502, title: 'c' },
    ]);
    await metadata.dropAll(engine);
  });

  test('Sequence(): CREATE SEQUENCE before the table, nextval default, RETURNING, DROP SEQUENCE after (MariaDB 10.3+)', async () => {
    const metadata = new MetaData();
    const orderNo = Sequence('order_no_seq', { start: 1000, increment: 10, cycle: false });
    const orders = new Table('orders', metadata, {
      id: Column(Integer, orderNo, { primaryKey: true }),
      item: Column(String(20), { nullable: false }),
    });
    const sequenceCount = () =>
      engine.connect(async (conn) =>
        Number((await conn.execute(text(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${dbName}' AND table_type = 'SEQUENCE'`))).scalar()),
      );
    if (!isMariaSequences()) {
      // MySQL has no sequences: createAll refuses before creating anything.
      await expect(metadata.createAll(engine)).rejects.toThrow(UnsupportedCompilationError);
      return;
    }
    await metadata.createAll(engine);
    await metadata.createAll(engine); // checkFirst: IF NOT EXISTS, no error
    expect(await sequenceCount()).toBe(1);
    const returned = await engine.begin(async (conn) => (await conn.execute(insert(orders).values({ item: 'apple' }).returning(orders.c.id))).all());
    expect(returned).toEqual([{ id: 1000 }]);
    await engine.begin((conn) => conn.execute(insert(orders), [{ item: 'pear' }, { item: 'plum' }]));
    const next = await engine.connect(async (conn) => (await conn.execute(select(orderNo.nextValue().label('v')))).scalar());
    expect(Number(next)).toBe(1030);
    const rows = await engine.connect(async (conn) => (await conn.execute(select(orders.c.id, orders.c.item).orderBy(orders.c.id))).all());
    expect(rows).toEqual([
      { id: 1000, item: 'apple' },
      { id: 1010, item: 'pear' },
      { id: 1020, item: 'plum' },
    ]);
    // Reflection reads the sequence default as a server default, not as AUTO_INCREMENT.
    const id = (await inspect(engine).getColumns('orders')).find((c) => c.name === 'id');
    expect(id?.autoincrement).toBe(false);
    expect(id?.serverDefault).toMatch(/nextval/i);
    await metadata.dropAll(engine);
    expect(await sequenceCount()).toBe(0);
  });
});
