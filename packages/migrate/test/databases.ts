/**
 * The three test databases for CLI tests: each test file gets its own SQLite file, PostgreSQL
 * database or MariaDB database (named athanor_mig_<pid>_<rand>), reachable by URL alone as
 * the `athanor` command needs. A server that cannot be reached skips its suites with one loud
 * line outside CI and fails with CI=true or ATHANOR_REQUIRE_SERVERS=1.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@athanor/core';
import { serversRequired } from '@athanor/testing';

const PG_URL = process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const packages = join(__dirname, '..', '..');

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestDatabase {
  name: 'sqlite' | 'postgresql' | 'mariadb';
  available: boolean;
  fresh(): Promise<FreshDatabase>;
}

function probe(script: string): boolean {
  return spawnSync(process.execPath, ['-e', script], { timeout: 10000 }).status === 0;
}

function check(name: string, ok: boolean, url: string): boolean {
  if (ok) return true;
  const msg = `${name} at ${url} is unreachable; start it with \`pnpm db:start\`.`;
  if (serversRequired()) throw new Error(`${msg} (CI=true or ATHANOR_REQUIRE_SERVERS=1: live migration tests cannot be skipped)`);
  console.warn(`!!! migrate live tests on ${name} SKIPPED: ${msg} !!!`);
  return false;
}

const uniqueName = () => `athanor_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

async function adminSQL(url: string, sql: string): Promise<void> {
  const admin = createEngine(url);
  try {
    await admin.connect((c) => c.execDriverSQL(sql));
  } finally {
    await admin.dispose();
  }
}

const withDatabase = (url: string, db: string) => url.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`).replace(/undefined$/, '');

const sqlite: TestDatabase = {
  name: 'sqlite',
  available: true,
  async fresh() {
    const file = join(tmpdir(), `${uniqueName()}.db`);
    return { url: `sqlite:///${file}`, drop: async () => rmSync(file, { force: true }) };
  },
};

const pgDriver = require.resolve('pg', { paths: [join(packages, 'dialect-postgres')] });
const postgres: TestDatabase = {
  name: 'postgresql',
  available: check(
    'PostgreSQL',
    probe(`const pg=require(${JSON.stringify(pgDriver)});const c=new pg.Client({connectionString:${JSON.stringify(PG_URL)},connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`),
    PG_URL,
  ),
  async fresh() {
    const db = uniqueName();
    await adminSQL(PG_URL, `CREATE DATABASE "${db}"`);
    return { url: withDatabase(PG_URL, db), drop: () => adminSQL(PG_URL, `DROP DATABASE "${db}" WITH (FORCE)`) };
  },
};

const mysqlDriver = require.resolve('mysql2/promise', { paths: [join(packages, 'dialect-mysql')] });
const u = new URL(MYSQL_URL.replace(/^(mysql|mariadb)(\+\w+)?:/, 'http:'));
const mysqlServer = { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || undefined, password: u.password ? decodeURIComponent(u.password) : undefined, connectTimeout: 3000 };
const mysql: TestDatabase = {
  name: 'mariadb',
  available: check(
    'MariaDB/MySQL',
    probe(`require(${JSON.stringify(mysqlDriver)}).createConnection(${JSON.stringify(mysqlServer)}).then(c=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`),
    MYSQL_URL,
  ),
  async fresh() {
    const db = uniqueName();
    await adminSQL(MYSQL_URL, `CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return { url: withDatabase(MYSQL_URL, db), drop: () => adminSQL(MYSQL_URL, `DROP DATABASE \`${db}\``) };
  },
};

export const databases: TestDatabase[] = [sqlite, postgres, mysql];

/** `describe` for an available database, `describe.skip` (announced above) otherwise. */
export function describeEach(fn: (db: TestDatabase) => void): void {
  for (const db of databases) (db.available ? describe : describe.skip)(db.name, () => fn(db));
}
