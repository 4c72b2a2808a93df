/**
 * Throwaway test databases on the three servers, for suites that run a program against each:
 * every `fresh()` gets its own SQLite file, PostgreSQL schema (or database) or MariaDB/MySQL
 * database with a unique name, dropped again by `drop()`. Whether a server is up is decided by
 * logging in with its driver (not only opening a port, as `reachable()` does): a server that
 * answers but refuses the login must not pass the gate. Runner-agnostic like the rest of the
 * package: `describeEach` registers through `./runner`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, type EngineOptions, createEngine, maskPassword } from '@athanor/core';
import { serversRequired } from './live-server';
import { describe } from './runner';

/** One test's own database, reachable by `url` (with `options` for the engine), and how to remove it. */
export interface FreshDatabase {
  url: string;
  /** Engine options the URL needs (PostgreSQL schema isolation sets `search_path` here). */
  options: EngineOptions;
  drop(): Promise<void>;
}

/** A database server the suites run on, whether it answered, and how to get a fresh database on it. */
export interface TestDatabase {
  name: 'sqlite' | 'postgresql' | 'mariadb';
  available: boolean;
  fresh(): Promise<FreshDatabase>;
  /** A database of its own (PostgreSQL: CREATE DATABASE, not a schema), for tests that need several at once: sharding. */
  database(): Promise<FreshDatabase>;
}

/** What the gate says and how the throwaway databases are named. */
export interface TestDatabaseOptions {
  /** Whose tests skip, for the loud line and the CI failure: 'ORM live tests'. */
  what: string;
  /** First part of every created name: `athanor_mig` gives `athanor_mig_<pid>_<random>`. */
  prefix: string;
  /** Directories the drivers (`pg`, `mysql2`) are resolved from, for the login probe; default the working directory. */
  driverPaths?: string[];
}

/** A name no other test process on the same server uses at the same time: `<prefix>_<pid>_<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs one statement on a short-lived engine of its own (CREATE/DROP of schemas and databases). */
export async function adminSQL(url: string, sql: string): Promise<void> {
  const admin = createEngine(url);
  try {
    await admin.connect((c) => c.execDriverSQL(sql));
  } finally {
    await admin.dispose();
  }
}

/** The same server URL naming database `db` instead of its own (query string kept). */
export function withDatabase(url: string, db: string): string {
  return url.replace(/\/[^/?]*(\?.*)?$/, (_, query: string | undefined) => `/${db}${query ?? ''}`);
}

function resolveDriver(id: string, paths: string[] | undefined): string {
  const require = createRequire(join(process.cwd(), 'package.json'));
  return require.resolve(id, { paths: paths ?? [process.cwd()] });
}

function mysqlConnectOptions(url: string) {
  const u = new URL(url.replace(/^(mysql|mariadb)(\+\w+)?:/, 'http:'));
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    connectTimeout: 3000,
  };
}

/**
 * Whether the server a postgresql:// or mysql:// (mariadb://) URL names accepts a login, asked
 * synchronously (a child process connects with the driver) because test runners register
 * suites before anything asynchronous can run.
 */
export function canLogIn(url: string, driverPaths?: string[]): boolean {
  let script: string;
  if (/^postgres(ql)?(\+\w+)?:/.test(url)) {
    const pg = JSON.stringify(resolveDriver('pg', driverPaths));
    const config = JSON.stringify({ connectionString: url, connectionTimeoutMillis: 3000 });
    script = `const pg=require(${pg});const c=new pg.Client(${config});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`;
  } else if (/^(mysql|mariadb)(\+\w+)?:/.test(url)) {
    const mysql = JSON.stringify(resolveDriver('mysql2/promise', driverPaths));
    script = `require(${mysql}).createConnection(${JSON.stringify(mysqlConnectOptions(url))}).then(c=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`;
  } else {
    throw new ArgumentError(`canLogIn(): '${maskPassword(url)}' is not a postgresql:// or mysql:// URL; SQLite needs no server to log in to.`);
  }
  return spawnSync(process.execPath, ['-e', script], { timeout: 10_000 }).status === 0;
}

/** Logs in once; down means one loud line (skip) or, when servers are required, a thrown error. */
function gate(label: string, url: string, hint: string, options: TestDatabaseOptions): boolean {
  if (canLogIn(url, options.driverPaths)) return true;
  const msg = `${label} at ${maskPassword(url)} is unreachable; start it with ${hint}.`;
  if (serversRequired()) throw new Error(`${msg} (CI=true or ATHANOR_REQUIRE_SERVERS=1: ${options.what} cannot be skipped)`);
  console.warn(`!!! ${options.what} on ${label} SKIPPED: ${msg} !!!`);
  return false;
}

/** SQLite: a temp file per test (not memory, so a second engine can read the rows back). */
export function sqliteTestDatabase(options: Pick<TestDatabaseOptions, 'prefix'>): TestDatabase {
  const fresh = async (): Promise<FreshDatabase> => {
    const file = join(tmpdir(), `${uniqueName(options.prefix)}.db`);
    return { url: `sqlite:///${file}`, options: {}, drop: async () => rmSync(file, { force: true }) };
  };
  return { name: 'sqlite', available: true, fresh, database: fresh };
}

/** Where a PostgreSQL server is and how each test is kept apart on it. */
export interface PostgresTestDatabaseOptions extends TestDatabaseOptions {
  url: string;
  /** For messages; default 'PostgreSQL'. */
  label?: string;
  /** How to start the server, for the message; default `pnpm db:start`. */
  hint?: string;
  /**
   * 'schema' (default): a schema of its own on `search_path`, in the URL's database.
   * 'database': a database of its own, so the fresh URL alone reaches it (a CLI under test).
   */
  isolation?: 'schema' | 'database';
}

/** PostgreSQL: each test in its own schema (or database), dropped with everything in it. */
export function postgresTestDatabase(options: PostgresTestDatabaseOptions): TestDatabase {
  const { url, label = 'PostgreSQL', hint = '`pnpm db:start`', isolation = 'schema' } = options;
  const database = async (): Promise<FreshDatabase> => {
    const name = uniqueName(options.prefix);
    await adminSQL(url, `CREATE DATABASE "${name}"`);
    return { url: withDatabase(url, name), options: {}, drop: () => adminSQL(url, `DROP DATABASE "${name}" WITH (FORCE)`) };
  };
  return {
    name: 'postgresql',
    available: gate(label, url, hint, options),
    database,
    async fresh() {
      if (isolation === 'database') return database();
      const name = uniqueName(options.prefix);
      await adminSQL(url, `CREATE SCHEMA "${name}"`);
      // Unqualified table names resolve in the test's own schema: the program runs as written.
      return {
        url,
        options: { driverOptions: { options: `-c search_path=${name}` } },
        drop: () => adminSQL(url, `DROP SCHEMA "${name}" CASCADE`),
      };
    },
  };
}

/** MariaDB/MySQL: each test in a database of its own (utf8mb4), named in its URL. */
export function mysqlTestDatabase(options: TestDatabaseOptions & { url: string; label?: string; hint?: string }): TestDatabase {
  const { url, label = 'MariaDB/MySQL', hint = '`pnpm db:start`' } = options;
  const fresh = async (): Promise<FreshDatabase> => {
    const db = uniqueName(options.prefix);
    await adminSQL(url, `CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return { url: withDatabase(url, db), options: {}, drop: () => adminSQL(url, `DROP DATABASE \`${db}\``) };
  };
  return { name: 'mariadb', available: gate(label, url, hint, options), fresh, database: fresh };
}

/** A server's URL for the live tests: ATHANOR_PG_URL / ATHANOR_MYSQL_URL, else the local test server. */
export function testServerUrl(server: 'postgresql' | 'mariadb'): string {
  return server === 'postgresql'
    ? (process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test')
    : (process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
}

/** SQLite, PostgreSQL and MariaDB/MySQL as test databases, each server probed once, now. */
export function testDatabases(options: TestDatabaseOptions & { postgresIsolation?: 'schema' | 'database' }): TestDatabase[] {
  return [
    sqliteTestDatabase(options),
    postgresTestDatabase({ ...options, url: testServerUrl('postgresql'), isolation: options.postgresIsolation }),
    mysqlTestDatabase({ ...options, url: testServerUrl('mariadb') }),
  ];
}

/** `describe` for each available database (named by it), `describe.skip` for one that is down (announced by its gate). */
export function describeEach(databases: TestDatabase[], fn: (db: TestDatabase) => void): void {
  for (const db of databases) (db.available ? describe : describe.skip)(db.name, () => fn(db));
}
