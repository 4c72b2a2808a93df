import { DisconnectError, createEngine, text } from '@athanor/core';
import { URL, liveDescribe } from './server';

const d = liveDescribe('disconnect tests');

d('MySQL/MariaDB: connections killed by the server', () => {
  const engine = createEngine(URL, { poolSize: 1, maxOverflow: 0, poolTimeout: 5000 });
  const admin = createEngine(URL, { poolSize: 1 });
  afterAll(async () => {
    await engine.dispose();
    await admin.dispose();
  });

  test('KILL: the statement fails with DisconnectError, the connection is dropped, the next checkout works', async () => {
    let id: unknown;
    // Killed while checked out: the next statement on it fails.
    const err = await engine
      .connect(async (conn) => {
        id = await conn.scalar(text('SELECT CONNECTION_ID() AS id'));
        await admin.connect((a) => a.execute(text(`KILL ${Number(id)}`)));
        return conn.execute(text('SELECT 1 AS one'));
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect(engine.pool.checkedOut).toBe(0);
    const id2 = await engine.connect((conn) => conn.scalar(text('SELECT CONNECTION_ID() AS id')));
    expect(id2).not.toBe(id);
    expect(Number(await engine.connect((conn) => conn.scalar(text('SELECT 1 AS one'))))).toBe(1);
  });

  test('error 1153 (a packet over max_allowed_packet): the server drops the connection, so it is a DisconnectError and the pool replaces it', async () => {
    const max = Number(await admin.connect((conn) => conn.scalar(text('SELECT @@max_allowed_packet AS m'))));
    const id = await engine.connect((conn) => conn.scalar(text('SELECT CONNECTION_ID() AS id')));
    const err = await engine.connect((conn) => conn.execDriverSQL('SELECT LENGTH(?)', ['x'.repeat(max + 1024)])).catch((e) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect(engine.pool.checkedOut).toBe(0);
    const next = await engine.connect((conn) => conn.scalar(text('SELECT CONNECTION_ID() AS id')));
    expect(next).not.toBe(id);
  });
});
