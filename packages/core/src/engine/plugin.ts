import type { Dialect } from '../dialect/dialect';
import type { Driver, DriverConnection } from '../dialect/driver';
import type { DialectIntrospection } from '../reflection/interface';
import type { EngineURL } from './url';
import type { TransactionPriority } from './connection';

/** Options every dialect plugin receives from `createEngine`. */
export interface DialectPluginOptions {
  compiledCacheSize?: number;
  /** Extra options for the driver (passed through). */
  driverOptions?: Record<string, unknown>;
  /** The engine's `pooler` option: server connections are shared per transaction. */
  pooler?: 'transaction';
}

/**
 * What a dialect package exports as `athanorDialect`: how `createEngine` builds the SQL
 * flavour and the driver for a URL. Third-party dialects implement the same.
 */
export interface DialectPlugin {
  readonly name: string;
  /** The databases besides its own that speak this dialect's protocol (URL `flavor`): `cockroachdb`, `tidb`... */
  readonly flavors?: readonly string[];
  createDialect(url: EngineURL, options: DialectPluginOptions): Dialect;
  createDriver(url: EngineURL, dialect: Dialect, options: DialectPluginOptions): Driver;
  /** Whether a table exists (for `checkFirst`). */
  hasTable(conn: DriverConnection, dialect: Dialect, name: string, schema?: string): Promise<boolean>;
  /** SQL to begin a transaction with options; default `BEGIN`. `dialect` tells a flavor (CockroachDB, TiDB) apart. */
  beginStatements?(options: { isolationLevel?: string; readOnly?: boolean; priority?: TransactionPriority }, dialect: Dialect): string[];
  /** The pool size the dialect wants for this URL (SQLite in memory: 1). */
  poolSizeFor?(url: EngineURL): number | undefined;
  /** Set up a new connection (time zone, sql_mode...). */
  onConnect?(conn: DriverConnection, dialect: Dialect): Promise<void>;
  /**
   * How many milliseconds the replica behind `conn` is behind its primary (0 when caught up;
   * undefined when unknown, e.g. replication stopped), for `maxReplicaLagMs`.
   */
  replicationLagMs?(conn: DriverConnection): Promise<number | undefined>;
  /** Reflection queries (`inspect()`, `metadata.reflect()`); absent when the dialect cannot reflect. */
  readonly introspection?: DialectIntrospection;
}
