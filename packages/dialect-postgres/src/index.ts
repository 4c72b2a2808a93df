/**
 * @athanor/dialect-postgres — PostgreSQL for Athanor over node-postgres (`pg`).
 * `createEngine('postgresql://user@host/db')` loads this package's `athanorDialect`.
 *
 * @packageDocumentation
 */
import {
  ArgumentError,
  type ColumnElement,
  type DialectPlugin,
  DialectClause,
  type EngineURL,
  type Insert,
  type Table,
  type TableColumn,
  defineDialectClause,
  literalColumn,
  toElement,
} from '@athanor/core';
import { PostgresDialect } from './dialect';
import { DEFAULT_PREPARED_STATEMENTS, PgDriver } from './driver';
import { postgresDialectFor, prioritySQL } from './flavors';
import { postgresIntrospection } from './introspection';

export { PostgresDialect, CommitRolledBack, utcWallClock } from './dialect';
export { PostgresCompiler } from './compiler';
export { CockroachDialect, CockroachCompiler, YugabyteDialect, YugabyteCompiler } from './flavors';
export { PgDriver, PgConnection, getTypeParser } from './driver';
export { postgresIntrospection, postgresType } from './introspection';

// -- ON CONFLICT ------------------------------------------------------------------------------

/** `ON CONFLICT (target) DO NOTHING | DO UPDATE SET ...` (PostgreSQL). */
export class OnConflict extends DialectClause {
  declare readonly target: readonly TableColumn<any, any>[];
  declare readonly constraintName: string | undefined;
  declare readonly doUpdate: boolean;
  declare readonly sets: readonly [TableColumn<any, any>, ColumnElement<any, any>][];
  declare readonly whereClause: ColumnElement<any, any> | undefined;

  constructor(init: {
    target: readonly TableColumn<any, any>[];
    constraintName?: string;
    doUpdate: boolean;
    sets: readonly [TableColumn<any, any>, ColumnElement<any, any>][];
    whereClause?: ColumnElement<any, any>;
  }) {
    super();
    Object.assign(this, { whereClause: undefined, constraintName: undefined, ...init });
  }
}
defineDialectClause(OnConflict, 'postgresql.onConflict', ['postgresql'], [
  ['target', 'elements'],
  ['constraintName', 'value'],
  ['doUpdate', 'value'],
  ['sets', 'pairs'],
  ['whereClause', 'element'],
]);

/** Where `INSERT … ON CONFLICT` looks for the conflict: the columns of a unique index or primary key, or a named constraint. */
export interface OnConflictTarget {
  /** The conflict target columns (a unique index or primary key). */
  target?: readonly TableColumn<any, any>[];
  /** Or a named constraint: `ON CONFLICT ON CONSTRAINT name`. */
  constraint?: string;
}

/** `EXCLUDED.col`: the value the conflicting row would have inserted. */
export function excluded<T>(column: TableColumn<T, any>): ColumnElement<T, any> {
  const name = /^[a-z_][a-z0-9_$]*$/.test(column.name) && !new PostgresDialect().reservedWords.has(column.name) ? column.name : `"${column.name.replace(/"/g, '""')}"`;
  return literalColumn(`EXCLUDED.${name}`, column.type) as any;
}

/** `INSERT ... ON CONFLICT [(target)] DO NOTHING`. */
export function onConflictDoNothing<S extends Insert<any, any, any>>(stmt: S, options: OnConflictTarget = {}): S {
  return stmt.withPostValuesClause(new OnConflict({ target: options.target ?? [], constraintName: options.constraint, doUpdate: false, sets: [] })) as S;
}

/**
 * `INSERT ... ON CONFLICT (target) DO UPDATE SET col = value`. `set` maps column keys to
 * values or expressions; `excluded(table.c.col)` is the value proposed for insertion.
 */
export function onConflictDoUpdate<S extends Insert<any, any, any>>(
  stmt: S,
  options: OnConflictTarget & { set: Record<string, unknown>; where?: ColumnElement<boolean, any> },
): S {
  const table = (stmt as any).table as Table<any, any>;
  if (!options.target?.length && !options.constraint) {
    throw new ArgumentError(`onConflictDoUpdate on '${table.name}' needs a conflict target: give { target: [table.c.col] } or { constraint: 'name' }.`);
  }
  const sets: [TableColumn<any, any>, ColumnElement<any, any>][] = Object.entries(options.set).map(([key, v]) => {
    const col = table.columns.find((c) => c.key === key);
    if (!col) throw new ArgumentError(`onConflictDoUpdate: '${table.name}' has no column '${key}' (set keys are column keys).`);
    return [col, toElement(v, col.type)];
  });
  if (!sets.length) throw new ArgumentError(`onConflictDoUpdate on '${table.name}' has an empty set; use onConflictDoNothing instead.`);
  return stmt.withPostValuesClause(
    new OnConflict({ target: options.target ?? [], constraintName: options.constraint, doUpdate: true, sets, whereClause: options.where as any }),
  ) as S;
}

// -- plugin -----------------------------------------------------------------------------------

function clientConfig(url: EngineURL, driverOptions: Record<string, unknown> = {}) {
  const q = url.query;
  return {
    host: url.host ?? 'localhost',
    port: url.port ?? 5432,
    user: url.username,
    password: url.password,
    database: url.database,
    ...(q.application_name ? { application_name: q.application_name } : {}),
    ...(q.sslmode && q.sslmode !== 'disable' ? { ssl: q.sslmode === 'require' ? { rejectUnauthorized: false } : true } : {}),
    ...(q.connect_timeout ? { connectionTimeoutMillis: Number(q.connect_timeout) * 1000 } : {}),
    ...driverOptions,
  };
}

/**
 * `?prepared_statement_cache_size=N`: server-side prepared statements kept per connection (0:
 * none). Behind a transaction pooler (`pooler: 'transaction'`) none unless the URL says so:
 * pgbouncer before 1.21 (or without max_prepared_statements) loses them between transactions.
 */
function preparedStatementCacheSize(url: EngineURL, pooler: 'transaction' | undefined): number {
  const raw = url.query.prepared_statement_cache_size;
  if (raw === undefined) return pooler === 'transaction' ? 0 : DEFAULT_PREPARED_STATEMENTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ArgumentError(`prepared_statement_cache_size must be a whole number of statements (0 turns prepared statements off); got '${raw}'.`);
  }
  return n;
}

const ISOLATION = new Set(['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE']);

/** The PostgreSQL dialect plugin: what `createEngine('postgresql://…')` loads (dialect, driver and introspection). */
export const athanorDialect: DialectPlugin = {
  name: 'postgresql',
  flavors: ['cockroachdb', 'yugabytedb'],
  introspection: postgresIntrospection,
  createDialect(url, options) {
    return postgresDialectFor(url.flavor, { compiledCacheSize: options.compiledCacheSize });
  },
  createDriver(url, _dialect, options) {
    return new PgDriver(clientConfig(url, options.driverOptions), preparedStatementCacheSize(url, options.pooler));
  },
  async hasTable(conn, _dialect, name, schema) {
    const res = schema
      ? await conn.query('SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = $2 UNION ALL SELECT 1 FROM pg_catalog.pg_views WHERE schemaname = $1 AND viewname = $2', [schema, name], { returnsRows: true, rowMode: 'array' })
      : await conn.query(
          'SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND c.relkind IN (\'r\', \'p\', \'v\', \'m\', \'f\') AND pg_catalog.pg_table_is_visible(c.oid)',
          [name],
          { returnsRows: true, rowMode: 'array' },
        );
    return res.rows.length > 0;
  },
  // Caught up (all received WAL replayed): 0; else the age of the last replayed transaction; a primary: 0.
  async replicationLagMs(conn) {
    const { rows } = await conn.query(
      'SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 END',
      [],
      { returnsRows: true, rowMode: 'array' },
    );
    const lag = rows[0]?.[0];
    return lag === null || lag === undefined ? undefined : Number(lag);
  },
  beginStatements(options, dialect) {
    let sql = 'BEGIN';
    if (options.isolationLevel) {
      const level = options.isolationLevel.toUpperCase();
      if (!ISOLATION.has(level)) throw new ArgumentError(`Unknown isolation level '${options.isolationLevel}'; use one of ${[...ISOLATION].join(', ')}.`);
      sql += ` ISOLATION LEVEL ${level}`;
    }
    if (options.readOnly !== undefined) sql += options.readOnly ? ' READ ONLY' : ' READ WRITE';
    return options.priority === undefined ? [sql] : [sql, prioritySQL(options.priority, dialect.flavor)];
  },
  poolSizeFor() {
    return undefined;
  },
  async onConnect(conn, dialect) {
    if (!dialect.serverVersion.length) {
      const res = await conn.query('SHOW server_version_num', [], { returnsRows: true, rowMode: 'array' });
      const n = Number(res.rows[0]?.[0]);
      dialect.serverVersion = n >= 100000 ? [Math.floor(n / 10000), n % 10000] : [Math.floor(n / 10000), Math.floor((n % 10000) / 100), n % 100];
    }
  },
};
