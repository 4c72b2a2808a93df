/**
 * The three test databases, each test in its own fresh schema (PostgreSQL) or database
 * (MariaDB/MySQL) named athanor_<pid>_<rand>. A server that cannot be reached skips its
 * suites with one loud line outside CI and fails with CI=true.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineOptions, createEngine } from '@athanor/core';
import { serversRequired } from '@athanor/testing';

const PG_URL = process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const packages = join(__dirname, '..', '..');

export interface FreshDatabase {
  url: string;
  options: EngineOptions;
  drop(): Promise<void>;
}

export interface TestDatabase {
  name: string;
  available: boolean;
  fresh(): Promise<FreshDatabase>;
  /** A database of its own (PostgreSQL: CREATE DATABASE, not a schema), for tests that need several: sharding. */
  database(): Promise<FreshDatabase>;
}

function probe(script: string): boolean {
  return spawnSync(process.execPath, ['-e', script], { timeout: 10000 }).status === 0;
}

function check(name: string, ok: boolean, url: string, hint = '`pnpm db:start`'): boolean {
  if (ok) return true;
  const msg = `${name} at ${url} is unreachable; start it with ${hint}.`;
  if (serversRequired()) throw new Error(`${msg} (CI=true or ATHANOR_REQUIRE_SERVERS=1: live ORM tests cannot be skipped)`);
  console.warn(`!!! ORM live tests on ${name} SKIPPED: ${msg} !!!`);
  return false;
}

const uniqueName = () => `athanor_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

async function adminSQL(url: string, sql: string): Promise<void> {
  const admin = createEngine(url);
  try {
    await admin.connect((c) => c.execDriverSQL(sql));
  } finally {
    await admin.dispose();
  }
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  available: true,
  // A temp file, not memory: the test reads the rows back through a second engine.
  async fresh() {
    const file = join(tmpdir(), `${uniqueName()}.db`);
    return { url: `sqlite:///${file}`, options: {}, drop: async () => rmSync(file, { force: true }) };
  },
  database() {
    return sqlite.fresh();
  },
};

const pgDriver = require.resolve('pg', { paths: [join(packages, 'dialect-postgres')] });
/** A PostgreSQL server as a test database: each test file in its own schema. */
function postgresAt(label: string, url: string, hint = '`pnpm db:start`'): TestDatabase {
  return {
    name: 'postgresql',
    available: check(
      label,
      probe(`const pg=require(${JSON.stringify(pgDriver)});const c=new pg.Client({connectionString:${JSON.stringify(url)},connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`),
      url,
      hint,
    ),
    async fresh() {
      const schema = uniqueName();
      await adminSQL(url, `CREATE SCHEMA "${schema}"`);
      // Unqualified table names resolve in the test's own schema: the program runs as written.
      return { url, options: { driverOptions: { options: `-c search_path=${schema}` } }, drop: () => adminSQL(url, `DROP SCHEMA "${schema}" CASCADE`) };
    },
    async database() {
      const db = uniqueName();
      await adminSQL(url, `CREATE DATABASE "${db}"`);
      const at = new URL(url);
      at.pathname = `/${db}`;
      return { url: at.toString(), options: {}, drop: () => adminSQL(url, `DROP DATABASE "${db}" WITH (FORCE)`) };
    },
  };
}
const postgres = postgresAt('PostgreSQL', PG_URL);

/** The scale-out PostgreSQL primary (`scripts/scale-out/start.sh`; `max_prepared_transactions` set), made on first use. */
export function scaleOutPrimary(): TestDatabase {
  const url = process.env.ATHANOR_SCALE_PRIMARY_URL ?? 'postgresql://postgres@127.0.0.1:55432/test';
  return postgresAt('PostgreSQL scale-out primary', url, '`bash scripts/scale-out/start.sh`');
}

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
    const url = `${MYSQL_URL.replace(/\/[^/?]*(\?.*)?$/, '')}/${db}`;
    return { url, options: {}, drop: () => adminSQL(MYSQL_URL, `DROP DATABASE \`${db}\``) };
  },
  database() {
    return mysql.fresh();
  },
};

export const databases: TestDatabase[] = [sqlite, postgres, mysql];

/** `describe` for an available database, `describe.skip` (announced above) otherwise. */
export function describeEach(fn: (db: TestDatabase) => void): void {
  for (const db of databases) (db.available ? describe : describe.skip)(db.name, () => fn(db));
}
