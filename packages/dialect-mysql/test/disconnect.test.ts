import { spawnSync } from 'node:child_process';
import { DisconnectError, createEngine, text } from '@athanor/core';

const URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
function probe(): boolean {
  const script = `const m=require('mysql2');const c=m.createConnection(process.argv[1]);c.connect(e=>{c.destroy();process.exit(e?1:0)});`;
  return spawnSync(process.execPath, ['-e', script, URL], { cwd: __dirname, timeout: 10000 }).status === 0;
}
const available = probe();
if (!available) {
  if (process.env.CI === 'true') throw new Error(`MySQL at ${URL} is unreachable (CI=true): live tests cannot be skipped.`);
  console.warn(`!!! MySQL disconnect tests SKIPPED: cannot reach ${URL}. Start it with \`pnpm db:start\`. !!!`);
}
const d = available ? describe : describe.skip;

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
