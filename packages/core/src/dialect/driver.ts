/**
 * The driver adapter surface: what a dialect package implements over its driver
 * (better-sqlite3, pg, mysql2). Core never imports a driver; it talks to these interfaces.
 */

/** How the engine wants a statement run. */
export interface QueryOptions {
  /** The statement returns rows (SELECT, or DML with RETURNING). */
  returnsRows: boolean;
  /** Rows as arrays in column order (the engine maps them to keys). */
  rowMode: 'array';
  /** A stable name for the driver's prepared-statement cache, when the SQL is from the compiled cache. */
  prepareName?: string;
  /** The statement is an INSERT whose generated key the caller wants. */
  wantsInsertId?: boolean;
  /**
   * False when every result column is of a type whose integers fit a JS number: a driver
   * that pays per value for exact integers may skip that. Absent means true.
   */
  exactIntegers?: boolean;
  /**
   * The caller reads only the first row (`conn.first()`, `conn.scalar()` on a SELECT): a
   * driver may stop after it (better-sqlite3's `get()`). Returning every row is also correct.
   */
  firstRowOnly?: boolean;
  /**
   * The caller builds a `Result` that may be read only in part (`one()` needs two rows): a
   * driver that reads rows one at a time may return the first two in `rows` and the rest
   * as `more`, read when asked. Returning every row is also correct.
   */
  fewRows?: boolean;
}

/**
 * The rows of a result not read yet (see `QueryOptions.fewRows`). The driver keeps its
 * connection usable: before it runs anything else it reads the rest into memory (or ends
 * the read), so the engine may call `next`/`rest` at any later time.
 */
export interface RowCursor {
  /** The next row, or undefined at the end. Throws the driver's error if reading failed. */
  next(): unknown[] | undefined;
  /** Every row not read yet. */
  rest(): unknown[][];
  /** Stops reading; the rows not read are dropped. */
  close(): void;
}

/** What a driver connection returns for one statement: rows as arrays, column names, affected row count and the last insert id. */
export interface DriverResult {
  /**
   * Rows as arrays, in column order; empty for statements that return none. The engine owns
   * the list once it is returned (it turns the arrays into row objects in place).
   */
  rows: unknown[][];
  /** Column names as the database reports them (when it returns rows). */
  columnNames?: string[];
  /** Rows matched (UPDATE/DELETE) or inserted. */
  rowsAffected: number;
  /** The last generated id (SQLite rowid, MySQL LAST_INSERT_ID()), when the database reports one. */
  insertId?: number | bigint;
  /** Rows after those in `rows`, not read yet (only when the options asked for `fewRows`). */
  more?: RowCursor;
}

/** One open connection to the database. */
export interface DriverConnection {
  /**
   * Runs one statement. A failed COMMIT must not leave the transaction open: the engine
   * considers it ended either way (roll it back when the database keeps it).
   */
  query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult>;
  /**
   * Optional, for synchronous drivers (better-sqlite3): the same as `query` without the
   * promise. The engine uses it when present (one promise per execute instead of three);
   * it throws the driver's error instead of rejecting.
   */
  querySync?(sql: string, params: readonly unknown[], options: QueryOptions): DriverResult;
  /**
   * Optional, with `querySync`: whether an error `querySync` just threw is lock contention
   * that `query()` waits out without blocking the event loop (SQLITE_BUSY on a statement that
   * holds no lock yet, or on COMMIT). The engine then runs the statement again through
   * `query()`, which retries until the lock is free or the driver's timeout passes. A
   * synchronous wait would freeze the process, and with it the transaction holding the lock.
   * Errors that waiting cannot resolve (a deadlock, a stale snapshot) answer false.
   */
  canWaitOut?(error: unknown, sql: string): boolean;
  /** Runs a statement for many parameter sets (a prepared statement in a loop, or the driver's batch). */
  executeMany?(sql: string, paramSets: readonly (readonly unknown[])[]): Promise<{ rowsAffected: number }>;
  /** Streams rows in chunks without loading the whole result. */
  stream(sql: string, params: readonly unknown[], options: { chunkSize: number }): AsyncIterable<unknown[][]>;
  /** A cheap round trip that fails when the connection is dead (pre-ping). */
  ping(): Promise<void>;
  /**
   * Optional: whether the driver already knows this connection is closed (the server ended
   * it while it sat idle). The pool replaces such a connection at checkout without a round
   * trip, so a server-side kill of idle connections costs no failed request.
   */
  isClosed?(): boolean;
  /**
   * Optional: asks the server to cancel the statement running on this connection, from
   * outside it (PostgreSQL's cancel request, `KILL QUERY` on MySQL/MariaDB). Resolves once
   * the request was delivered; the running statement then fails with the server's
   * cancellation error. Absent when the driver cannot interrupt a statement (SQLite).
   */
  cancel?(): Promise<void>;
  close(): Promise<void>;
  /** Whether an error means this connection is unusable (to invalidate it in the pool). */
  isDisconnect(error: unknown): boolean;
}

/** Creates connections for an engine. */
export interface Driver {
  connect(): Promise<DriverConnection>;
  /** The server version as numbers (e.g. [15, 4] or [10, 11, 6]), read on first connect. */
  serverVersion?(conn: DriverConnection): Promise<number[]>;
}
