import type { Driver, DriverConnection, DriverResult, QueryOptions } from '@athanor/core';
import Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown[]>;

/** Integers are read exactly (as bigint) and handed back as numbers when they fit. */
function normalizeRow(row: unknown[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (typeof v === 'bigint' && v <= 9007199254740991n && v >= -9007199254740991n) row[i] = Number(v);
  }
  return row;
}

function normalizeId(v: number | bigint): number | bigint {
  return typeof v === 'bigint' && v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null; map the rest. */
function bindValue(v: unknown): unknown {
  switch (typeof v) {
    case 'boolean':
      return v ? 1 : 0;
    case 'undefined':
      return null;
    case 'object':
      if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
      return v;
    default:
      return v;
  }
}

function bindParams(params: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    const t = typeof v;
    // Numbers and strings (nearly every parameter) pass without an instanceof check.
    if (t === 'boolean' || t === 'undefined' || (t === 'object' && v instanceof Date)) {
      out ??= params.slice();
      out[i] = bindValue(v);
    }
  }
  return out ?? (params as unknown[]);
}

/**
 * `stmt.all(...args)` with the common argument counts spelled out: a spread call reaches
 * better-sqlite3's native method through V8's generic call path, ~0.1 µs slower than a call
 * of known arity (as much as the rest of the engine's work for a primary-key lookup).
 */
function allRows(stmt: Statement, a: readonly unknown[]): unknown[][] {
  switch (a.length) {
    case 0:
      return stmt.all() as unknown[][];
    case 1:
      return stmt.all(a[0]) as unknown[][];
    case 2:
      return stmt.all(a[0], a[1]) as unknown[][];
    case 3:
      return stmt.all(a[0], a[1], a[2]) as unknown[][];
    default:
      return stmt.all(...a) as unknown[][];
  }
}

/** `stmt.get(...args)`, like `allRows`. */
function firstRow(stmt: Statement, a: readonly unknown[]): unknown[] | undefined {
  switch (a.length) {
    case 0:
      return stmt.get() as unknown[] | undefined;
    case 1:
      return stmt.get(a[0]) as unknown[] | undefined;
    case 2:
      return stmt.get(a[0], a[1]) as unknown[] | undefined;
    case 3:
      return stmt.get(a[0], a[1], a[2]) as unknown[] | undefined;
    default:
      return stmt.get(...a) as unknown[] | undefined;
  }
}

/** `stmt.run(...args)`, like `allRows`. */
function runStatement(stmt: Statement, a: readonly unknown[]): Database.RunResult {
  switch (a.length) {
    case 0:
      return stmt.run();
    case 1:
      return stmt.run(a[0]);
    case 2:
      return stmt.run(a[0], a[1]);
    case 3:
      return stmt.run(a[0], a[1], a[2]);
    default:
      return stmt.run(...a);
  }
}

const TX_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)\b/i;

/**
 * A cached prepared statement and whether it reads integers exactly: better-sqlite3's
 * `safeIntegers` makes every integer a BigInt (then normalised back to a number when it
 * fits), which costs more than the rest of a primary-key lookup; the engine asks for it
 * only when a result column can hold integers beyond 2^53 (BigInteger, Numeric, untyped).
 */
interface CachedStatement {
  stmt: Statement;
  exact: boolean;
}

/** One better-sqlite3 database handle, with its prepared statements cached by SQL text. */
export class SQLiteConnection implements DriverConnection {
  private readonly statements = new Map<string, CachedStatement>();
  private closed = false;

  /** The statement of the previous call: a loop running one statement skips the map lookup. */
  private last: CachedStatement | undefined = undefined;
  private lastSql = '';

  constructor(readonly db: Database.Database) {}

  private prepare(sql: string, exact = true): Statement {
    let cached = sql === this.lastSql ? this.last : this.statements.get(sql);
    if (cached === undefined) {
      const stmt = this.db.prepare(sql) as Statement;
      if (stmt.reader) stmt.raw(true);
      stmt.safeIntegers(exact);
      cached = { stmt, exact };
      // Transaction control and one-off SQL are cheap to prepare; keep the cache for real statements.
      if (!TX_CONTROL.test(sql)) {
        if (this.statements.size >= 1000) this.statements.delete(this.statements.keys().next().value as string);
        this.statements.set(sql, cached);
        this.last = cached;
        this.lastSql = sql;
      }
    } else {
      if (cached.exact !== exact) {
        cached.stmt.safeIntegers(exact);
        cached.exact = exact;
      }
      this.last = cached;
      this.lastSql = sql;
    }
    return cached.stmt;
  }

  query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
    try {
      return Promise.resolve(this.querySync(sql, params, options));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  querySync(sql: string, params: readonly unknown[], options: QueryOptions): DriverResult {
    // Non-readers keep exact mode: lastInsertRowid is a 64-bit rowid.
    const exact = options.exactIntegers !== false || !options.returnsRows;
    const stmt = this.prepare(sql, exact);
    const args = bindParams(params);
    if (stmt.reader) {
      let rows: unknown[][];
      if (options.firstRowOnly === true) {
        // The caller reads one row: `get()` stops after it (~0.1 µs less than `all()`).
        const row = firstRow(stmt, args);
        rows = row === undefined ? [] : [row];
      } else rows = allRows(stmt, args);
      if (exact) for (let i = 0; i < rows.length; i++) normalizeRow(rows[i]);
      const wantColumnNames = !options.returnsRows;
      // Rows the engine did not expect (raw text() SQL) are keyed by the database's column names.
      const columnNames = wantColumnNames ? stmt.columns().map((c) => c.name) : undefined;
      // DML with RETURNING is a reader too; `changes()` tells how many rows it touched.
      return { rows, rowsAffected: rows.length, columnNames };
    }
    const info = runStatement(stmt, args);
    return { rows: [], rowsAffected: Number(info.changes), insertId: normalizeId(info.lastInsertRowid) };
  }

  executeMany(sql: string, paramSets: readonly (readonly unknown[])[]): Promise<{ rowsAffected: number }> {
    try {
      const stmt = this.prepare(sql);
      let n = 0;
      for (const p of paramSets) n += Number(runStatement(stmt, bindParams(p)).changes);
      return Promise.resolve({ rowsAffected: n });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async *stream(sql: string, params: readonly unknown[], options: { chunkSize: number }): AsyncIterable<unknown[][]> {
    // A dedicated statement: an iterating statement is busy until the iterator finishes.
    const stmt = this.db.prepare(sql) as Statement;
    if (!stmt.reader) {
      stmt.run(...bindParams(params));
      return;
    }
    stmt.raw(true);
    stmt.safeIntegers(true);
    const it = stmt.iterate(...bindParams(params)) as IterableIterator<unknown[]>;
    try {
      let chunk: unknown[][] = [];
      for (const row of it) {
        chunk.push(normalizeRow(row));
        if (chunk.length >= options.chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length) yield chunk;
    } finally {
      it.return?.();
    }
  }

  ping(): Promise<void> {
    try {
      this.prepare('SELECT 1').get();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.statements.clear();
      this.db.close();
    }
    return Promise.resolve();
  }

  isDisconnect(error: unknown): boolean {
    if (this.closed || !this.db.open) return true;
    const code = (error as { code?: unknown })?.code;
    return typeof code === 'string' && (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
  }
}

export interface SQLiteDriverOptions {
  /** Milliseconds to wait on a locked database before SQLITE_BUSY (default 5000). */
  timeout?: number;
  readonly?: boolean;
  /** Passed to better-sqlite3 (e.g. `nativeBinding`). */
  [key: string]: unknown;
}

/** Opens better-sqlite3 handles for a file path or `:memory:`. */
export class SQLiteDriver implements Driver {
  constructor(
    readonly filename: string,
    readonly options: SQLiteDriverOptions = {},
  ) {}

  connect(): Promise<DriverConnection> {
    try {
      const { timeout = 5000, ...rest } = this.options;
      const db = new Database(this.filename, { timeout, ...rest } as Database.Options);
      db.pragma('foreign_keys = ON');
      return Promise.resolve(new SQLiteConnection(db));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  serverVersion(conn: DriverConnection): Promise<number[]> {
    const v = (conn as SQLiteConnection).db.prepare('SELECT sqlite_version()').pluck().get() as string;
    return Promise.resolve(v.split('.').map(Number));
  }
}
