/** RETURNING on a live MySQL/MariaDB: what the server has runs; what it lacks fails before sending, naming the server. */
import { Column, Integer, MetaData, String, Table, UnsupportedCompilationError, createEngine, delete_, insert, select, text, update, type Engine } from '@athanor/core';
import { createConnection } from 'mysql2/promise';
import type { MySQLDialect } from '../src';
import { URL as BASE_URL, liveDescribe } from './server';

const d = liveDescribe('RETURNING tests');
const dbName = `athanor_ret_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const server = () => {
  const u = new URL(BASE_URL.replace(/^(mysql|mariadb)(\+\w+)?:/, 'http:'));
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || undefined, password: u.password ? decodeURIComponent(u.password) : undefined };
};

d('MySQL/MariaDB RETURNING', () => {
  let engine: Engine;
  const metadata = new MetaData();
  const notes = new Table('notes', metadata, { id: Column(Integer, { primaryKey: true }), body: Column(String(20), { nullable: false }) });

  beforeAll(async () => {
    const admin = await createConnection(server());
    await admin.query(`CREATE DATABASE \`${dbName}\``);
    await admin.end();
    engine = createEngine(`${BASE_URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${dbName}`);
    await engine.connect((conn) => conn.execute(text('SELECT 1'))); // learns the server version
    await metadata.createAll(engine);
  });
  afterAll(async () => {
    await engine?.dispose();
    const admin = await createConnection(server());
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  });

  test('INSERT/DELETE ... RETURNING run on MariaDB 10.5+; UPDATE ... RETURNING fails naming the server', async () => {
    const dialect = engine.dialect as MySQLDialect;
    const server = `${dialect.isMariaDB ? 'MariaDB' : 'MySQL'} ${dialect.serverVersion.join('.')}`;
    const ins = insert(notes).values({ body: 'first' }).returning(notes.c.id, notes.c.body);
    if (dialect.isMariaDB && dialect.serverVersionAtLeast(10, 5)) {
      expect(await engine.begin(async (conn) => (await conn.execute(ins)).all())).toEqual([{ id: 1, body: 'first' }]);
    } else {
      await expect(engine.begin((conn) => conn.execute(ins))).rejects.toThrow(UnsupportedCompilationError);
      await engine.begin((conn) => conn.execute(insert(notes).values({ body: 'first' })));
    }
    const upd = update(notes).values({ body: 'changed' }).returning(notes.c.id);
    await expect(engine.begin((conn) => conn.execute(upd))).rejects.toThrow(
      `UPDATE ... RETURNING is not supported by ${server} (neither MySQL nor MariaDB has it). Run a SELECT after the update instead.`,
    );
    // Refused before anything was sent: the row is as it was.
    expect(await engine.connect(async (conn) => (await conn.execute(select(notes.c.id, notes.c.body))).all())).toEqual([{ id: 1, body: 'first' }]);
    const del = delete_(notes).where(notes.c.id.eq(1)).returning(notes.c.body);
    if (dialect.isMariaDB && dialect.serverVersionAtLeast(10, 5)) {
      expect(await engine.begin(async (conn) => (await conn.execute(del)).all())).toEqual([{ body: 'first' }]);
    }
  });
});
