/**
 * @athanor/dialect-mysql — MySQL and MariaDB for Athanor, over mysql2.
 * `createEngine('mysql://root@127.0.0.1:3306/test')` (or `mariadb://`) loads it.
 *
 * @packageDocumentation
 */
import {
  ArgumentError,
  ClauseElement,
  type ColumnElement,
  DialectClause,
  type DialectPlugin,
  type Insert,
  type TableColumn,
  defineDialectClause,
  toElement,
} from '@athanor/core';
import { MySQLDialect } from './dialect';
import { MySQLDriver, connectionOptions } from './driver';
import { mysqlIntrospection } from './introspection';
import { TiDBDialect, checkTiDBIsolation } from './tidb';

export { MySQLDialect, formatDateTime, parseDateTime } from './dialect';
export { MySQLCompiler } from './compiler';
export { TiDBDialect, TiDBCompiler, TIDB_RETRYABLE_ERRNOS } from './tidb';
export { MySQLConnection, MySQLDriver, connectionOptions, parseVersion } from './driver';
export { mysqlIntrospection, mysqlType } from './introspection';

/** `VALUES(col)`: the value the INSERT tried to put in `col`, inside ON DUPLICATE KEY UPDATE. */
export class InsertedValue extends DialectClause {
  constructor(readonly column: TableColumn<any, any>) {
    super();
  }
}
defineDialectClause(InsertedValue, 'mysql.insertedValue', ['mysql'], [['column', 'ref']]);

/** `ON DUPLICATE KEY UPDATE col = ..., ...` after an INSERT's VALUES. */
export class OnDuplicateKeyUpdate extends DialectClause {
  constructor(readonly sets: readonly (readonly [TableColumn<any, any>, ColumnElement<any, any>])[]) {
    super();
  }
}
defineDialectClause(OnDuplicateKeyUpdate, 'mysql.onDuplicateKeyUpdate', ['mysql'], [['sets', 'pairs']]);

/** Marks a column's value in `onDuplicateKeyUpdate` as "the value the INSERT proposed": `col = VALUES(col)`. */
export const inserted: unique symbol = Symbol('athanor.mysql.inserted');

/**
 * `VALUES(col)` as an expression, for computing with the proposed value (PostgreSQL's and
 * SQLite's `excluded(col)`): `{ hits: counters.c.hits.add(insertedValue(counters.c.hits)) }`.
 */
export function insertedValue<T>(column: TableColumn<T, any>): ColumnElement<T, any> {
  return new InsertedValue(column) as unknown as ColumnElement<T, any>;
}

/**
 * Adds `ON DUPLICATE KEY UPDATE` to an INSERT (MySQL/MariaDB's upsert). Each entry is the
 * column key and either `inserted` (→ `col = VALUES(col)`), an expression, or a plain value
 * (bound with the column's type):
 * `onDuplicateKeyUpdate(insert(users).values({...}), { name: inserted, visits: users.c.visits.add(1) })`.
 * Inside an expression the proposed value is `insertedValue(col)`.
 */
export function onDuplicateKeyUpdate<S extends Insert<any, any, any>>(insertStmt: S, set: Record<string, unknown>): S {
  const table = (insertStmt as any).table;
  const sets: [TableColumn<any, any>, ColumnElement<any, any>][] = [];
  for (const [key, value] of Object.entries(set)) {
    const col = table.columns.find((c: TableColumn<any, any>) => c.key === key) as TableColumn<any, any> | undefined;
    if (!col) {
      throw new ArgumentError(`onDuplicateKeyUpdate: '${key}' is not a column key of table '${table.name}' (keys: ${table.columns.map((c: any) => c.key).join(', ')}).`);
    }
    if (typeof value === 'symbol' && value !== inserted) {
      throw new ArgumentError(`onDuplicateKeyUpdate: '${key}' has a symbol value; use inserted for VALUES(${col.name}), or insertedValue(col) inside an expression.`);
    }
    const v = value === inserted ? new InsertedValue(col) : value instanceof ClauseElement ? (value as ColumnElement<any, any>) : toElement(value, col.type);
    sets.push([col, v as ColumnElement<any, any>]);
  }
  if (!sets.length) throw new ArgumentError(`onDuplicateKeyUpdate on '${table.name}' needs at least one column to update.`);
  return insertStmt.withPostValuesClause(new OnDuplicateKeyUpdate(sets)) as S;
}

const ISOLATION = new Set(['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE']);

/** The MySQL/MariaDB dialect plugin: what `createEngine('mysql://…')` loads (dialect, driver and introspection). */
export const athanorDialect: DialectPlugin = {
  name: 'mysql',
  flavors: ['tidb'],
  introspection: mysqlIntrospection,
  createDialect(url, options) {
    if (url.flavor === 'tidb') return new TiDBDialect({ compiledCacheSize: options.compiledCacheSize });
    if (url.flavor !== undefined) throw new ArgumentError(`The mysql dialect has no flavor '${url.flavor}'; it knows tidb.`);
    return new MySQLDialect({ compiledCacheSize: options.compiledCacheSize });
  },
  createDriver(url, dialect, options) {
    return new MySQLDriver(connectionOptions(url, options.driverOptions), dialect as MySQLDialect);
  },
  async hasTable(conn, _dialect, name, schema) {
    const sql = schema
      ? 'SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?'
      : 'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?';
    const { rows } = await conn.query(sql, schema ? [schema, name] : [name], { returnsRows: true, rowMode: 'array' });
    return rows.length > 0;
  },
  // Seconds_Behind_Master of SHOW SLAVE STATUS (NULL when replication is stopped); not a replica: 0.
  async replicationLagMs(conn) {
    const { rows, columnNames } = await conn.query('SHOW SLAVE STATUS', [], { returnsRows: true, rowMode: 'array' });
    if (rows.length === 0) return 0;
    const at = columnNames?.indexOf('Seconds_Behind_Master') ?? -1;
    const seconds = at >= 0 ? rows[0][at] : null;
    return seconds === null || seconds === undefined ? undefined : Number(seconds) * 1000;
  },
  beginStatements({ isolationLevel, readOnly, priority }, dialect) {
    if (priority !== undefined) throw new ArgumentError(`begin({ priority }): transaction priorities are CockroachDB's; ${dialect.flavor === 'tidb' ? 'TiDB' : 'MySQL/MariaDB'} has none. Leave the option out.`);
    const out: string[] = [];
    if (isolationLevel) {
      const level = isolationLevel.toUpperCase();
      if (!ISOLATION.has(level)) throw new ArgumentError(`Unknown isolation level '${isolationLevel}'; use one of ${[...ISOLATION].join(', ')}.`);
      if (dialect.flavor === 'tidb') checkTiDBIsolation(dialect as MySQLDialect, level);
      // Applies to the next transaction only.
      out.push(`SET TRANSACTION ISOLATION LEVEL ${level}`);
    }
    out.push(readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
    return out;
  },
  poolSizeFor() {
    return undefined;
  },
  async onConnect(conn) {
    // UTC session: CURRENT_TIMESTAMP and TIMESTAMP columns agree with the UTC wall-clock DATETIMEs we store.
    await conn.query("SET time_zone = '+00:00'", [], { returnsRows: false, rowMode: 'array' });
    await conn.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO'", [], {
      returnsRows: false,
      rowMode: 'array',
    });
  },
};
