import { spawnSync } from 'node:child_process';
import { DisconnectError, createEngine, text } from '@athanor/core';

const URL = process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

function probe(): boolean {
  const script = `const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`;
  return spawnSync(process.execPath, ['-e', script, URL], { cwd: __dirname, timeout: 10000 }).status === 0;
}
const available = probe();
if (!available) {
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${URL} is unreachable (CI=true): live tests cannot be skipped.`);
  console.warn(`!!! PostgreSQL disconnect tests SKIPPED: cannot reach ${URL}. Start it with \`pnpm db:start\`. !!!`);
}
const d = available ? describe : describe.skip;

d('PostgreSQL: connections killed by the server', () => {
  const engine = createEngine(URL, { poolSize: 1, maxOverflow: 0, poolTimeout: 5000 });
  const admin = createEngine(URL, { poolSize: 1 });
  afterAll(async () => {
    await engine.dispose();
    await admin.dispose();
  });

  test('pg_terminate_backend: the statement fails with DisconnectError, the connection is dropped, the next checkout works', async () => {
    const pid = await engine.connect((conn) => conn.scalar(text('SELECT pg_backend_pid() AS pid')));
    expect(typeof pid).toBe('number');
    await admin.connect((conn) => conn.execute(text('SELECT pg_terminate_backend(:pid) AS ok').bindparams({ pid })));
    const err = await engine.connect((conn) => conn.execute(text('SELECT 1 AS one'))).catch((e) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect(engine.pool.checkedOut).toBe(0);
    const pid2 = await engine.connect((conn) => conn.scalar(text('SELECT pg_backend_pid() AS pid')));
    expect(pid2).not.toBe(pid);
    expect(await engine.connect((conn) => conn.scalar(text('SELECT 1 AS one')))).toBe(1);
  });
});
