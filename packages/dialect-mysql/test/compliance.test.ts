import { spawnSync } from 'node:child_process';
import { liveServer, runComplianceSuite } from '@athanor/testing';
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
const live = liveServer('MariaDB/MySQL', BASE_URL, 'ATHANOR_MYSQL_URL').gate('dialect-mysql compliance tests');
const version = live ? sql('SELECT VERSION()') : undefined;
if (live && version === undefined) throw new Error(`MariaDB/MySQL at ${server.host}:${server.port} accepts connections but SELECT VERSION() failed: check the user and password in ATHANOR_MYSQL_URL.`);
if (version === undefined) {
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
