import { spawnSync } from 'node:child_process';
import { runComplianceSuite } from '@athanor/testing';
import type { MySQLDialect } from '../src';

const BASE_URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const u = new URL(BASE_URL.replace(/^(mysql|mariadb)(\+\w+)?:/, 'http:'));
const server = { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || undefined, password: u.password ? decodeURIComponent(u.password) : undefined };
const mysql2 = JSON.stringify(require.resolve('mysql2/promise'));

// Synchronous, before tests are registered: reachability and the server version (capabilities depend on it).
function sql(statement: string): string | undefined {
  const script = `require(${mysql2}).createConnection(${JSON.stringify({ ...server, connectTimeout: 3000 })}).then(async c => { const [r] = await c.query(${JSON.stringify(statement)}); await c.end(); process.stdout.write(String(Object.values(r[0] ?? {})[0] ?? '')); }).then(() => process.exit(0), () => process.exit(1));`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: 10000 });
  return r.status === 0 ? r.stdout.toString() : undefined;
}
const version = sql('SELECT VERSION()');
if (version === undefined) {
  const msg = `MySQL/MariaDB at ${server.host}:${server.port} is not reachable (ATHANOR_MYSQL_URL=${BASE_URL}); start it with \`pnpm db:start\`.`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`SKIPPING dialect-mysql compliance tests: ${msg}`);
  test.skip('MySQL compliance (server unreachable)', () => undefined);
} else {
  const dbName = `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  runComplianceSuite({
    name: 'mysql',
    url: `${BASE_URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${dbName}`,
    setup: async () => void sql(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
    teardown: async () => void sql(`DROP DATABASE IF EXISTS \`${dbName}\``),
    prepareDialect: (dialect) => {
      const d = dialect as MySQLDialect;
      d.isMariaDB = /mariadb/i.test(version);
      d.serverVersion = (version.match(/^(\d+)\.(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
    },
  });
}
