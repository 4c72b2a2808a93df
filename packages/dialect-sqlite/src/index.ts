/**
 * @athanor/dialect-sqlite — SQLite for Athanor through better-sqlite3.
 * `createEngine('sqlite://')` (memory), `'sqlite:///relative.db'`, `'sqlite:////abs/path.db'`.
 *
 * @packageDocumentation
 */
import { ArgumentError, type Dialect, type DialectPlugin, type DriverConnection, type EngineURL } from '@athanor/core';
import { SQLiteDialect } from './dialect';
import { READ_ONLY_PRAGMA, SQLiteDriver } from './driver';
import { sqliteIntrospection } from './introspection';

export { SQLiteDialect, formatDateTime, parseDateTime, errorClassFor } from './dialect';
export { SQLiteCompiler } from './compiler';
export { sqliteIntrospection, sqliteType } from './introspection';
export { SQLiteConnection, SQLiteDriver, type SQLiteDriverOptions } from './driver';
export { onConflictDoNothing, onConflictDoUpdate, excluded, OnConflictClause, Excluded, type OnConflictOptions, type OnConflictUpdateOptions } from './on-conflict';

function isMemory(url: EngineURL): boolean {
  const db = url.database;
  return db === undefined || db === '' || db === ':memory:' || url.query.mode === 'memory';
}

const ISOLATION = new Set(['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE']);

/** The SQLite dialect plugin: what `createEngine('sqlite://…')` loads (dialect, driver and introspection). */
export const athanorDialect: DialectPlugin = {
  name: 'sqlite',
  introspection: sqliteIntrospection,
  createDialect(_url, options) {
    return new SQLiteDialect({ compiledCacheSize: options.compiledCacheSize });
  },
  createDriver(url, _dialect, options) {
    const driverOptions: Record<string, unknown> = { ...(options.driverOptions ?? {}) };
    if (url.query.timeout !== undefined) driverOptions.timeout = Number(url.query.timeout);
    if (url.query.mode === 'ro') driverOptions.readonly = true;
    return new SQLiteDriver(isMemory(url) ? ':memory:' : url.database!, driverOptions);
  },
  async hasTable(conn: DriverConnection, _dialect: Dialect, name: string, schema?: string): Promise<boolean> {
    const master = schema ? `"${schema.replace(/"/g, '""')}".sqlite_master` : 'sqlite_master';
    const res = await conn.query(`SELECT 1 FROM ${master} WHERE type IN ('table', 'view') AND name = ?`, [name], { returnsRows: true, rowMode: 'array' });
    if (res.rows.length > 0 || schema) return res.rows.length > 0;
    const temp = await conn.query(`SELECT 1 FROM sqlite_temp_master WHERE type IN ('table', 'view') AND name = ?`, [name], { returnsRows: true, rowMode: 'array' });
    return temp.rows.length > 0;
  },
  beginStatements(options) {
    if (options.priority !== undefined) throw new ArgumentError("begin({ priority }): transaction priorities are CockroachDB's; SQLite has none. Leave the option out.");
    // SQLite transactions are SERIALIZABLE; READ UNCOMMITTED only matters with a shared cache.
    const out: string[] = [];
    const level = options.isolationLevel?.toUpperCase();
    if (level !== undefined && !ISOLATION.has(level)) {
      throw new ArgumentError(`Unknown isolation level '${options.isolationLevel}'; use one of ${[...ISOLATION].join(', ')}.`);
    }
    if (level === 'READ UNCOMMITTED') out.push('PRAGMA read_uncommitted = 1');
    else if (level) out.push('PRAGMA read_uncommitted = 0');
    // A read-only transaction takes a shared lock lazily (DEFERRED); writers lock up front (IMMEDIATE)
    // only when the caller asks for SERIALIZABLE, so two writers cannot deadlock on lock upgrade.
    if (options.readOnly) {
      // SQLite has no read-only transaction: the connection refuses writes until it ends (see the driver).
      out.push('BEGIN DEFERRED', READ_ONLY_PRAGMA);
    } else out.push(level === 'SERIALIZABLE' ? 'BEGIN IMMEDIATE' : 'BEGIN');
    return out;
  },
  poolSizeFor(url) {
    // Every connection to ':memory:' is a separate database: keep one.
    return isMemory(url) ? 1 : undefined;
  },
  async onConnect(_conn, dialect) {
    if (dialect instanceof SQLiteDialect && dialect.serverVersion.length && dialect.capabilitiesVersion !== dialect.serverVersion) {
      dialect.setServerVersion(dialect.serverVersion);
    }
  },
};

/** The package's default export: `{ athanorDialect }`, for loaders that import the default. */
export default { athanorDialect };
