import { DisconnectError, createEngine, text } from '@athanor/core';
import { URL, liveDescribe } from './server';

const d = liveDescribe('disconnect tests');

d('PostgreSQL: connections killed by the server', () => {
  const engine = createEngine(URL, { poolSize: 1, maxOverflow: 0, poolTimeout: 5000 });
  const admin = createEngine(URL, { poolSize: 1 });
  afterAll(async () => {
    await engine.dispose();
    await admin.dispose();
  });

  test('pg_terminate_backend: the statement fails with DisconnectError, the connection is dropped, the next checkout works', async () => {
    let pid: unknown;
    // Killed while checked out: the next statement on it fails.
    const err = await engine
      .connect(async (conn) => {
        pid = await conn.scalar(text('SELECT pg_backend_pid() AS pid'));
        expect(typeof pid).toBe('number');
        await admin.connect((a) => a.execute(text('SELECT pg_terminate_backend(:pid) AS ok').bindparams({ pid })));
        return conn.execute(text('SELECT 1 AS one'));
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect(engine.pool.checkedOut).toBe(0);
    const pid2 = await engine.connect((conn) => conn.scalar(text('SELECT pg_backend_pid() AS pid')));
    expect(pid2).not.toBe(pid);
    expect(await engine.connect((conn) => conn.scalar(text('SELECT 1 AS one')))).toBe(1);
  });
});
