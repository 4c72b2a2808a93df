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
    const id = await engine.connect((conn) => conn.scalar(text('SELECT CONNECTION_ID() AS id')));
    expect(id).not.toBeNull();
    await admin.connect((conn) => conn.execute(text(`KILL ${Number(id)}`)));
    const err = await engine.connect((conn) => conn.execute(text('SELECT 1 AS one'))).catch((e) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect(engine.pool.checkedOut).toBe(0);
    const id2 = await engine.connect((conn) => conn.scalar(text('SELECT CONNECTION_ID() AS id')));
    expect(id2).not.toBe(id);
    expect(Number(await engine.connect((conn) => conn.scalar(text('SELECT 1 AS one'))))).toBe(1);
  });
});
