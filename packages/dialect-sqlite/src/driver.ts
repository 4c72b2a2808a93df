import { DeadlockError, type Driver, type DriverConnection, type DriverResult, type QueryOptions, type RowCursor, SerializationError } from '@athanor/core';
import Database from 'better-sqlite3';
import { type CursorOwner, SQLiteRowCursor } from './row-cursor';
import { type Statement, allRows, bindParams, firstRow, iterateRows, normalizeId, normalizeRow, runStatement } from './statements';

const SqliteError = Database.SqliteError;

/** SQLite's own busy-handler delays in ms (sqliteDefaultBusyCallback); the last one repeats. */
const BUSY_DELAYS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const COMMIT = /^\s*(COMMIT|END)\b/i;

/**
 * The code of better-sqlite3's SqliteError, by name rather than `instanceof`: with several
 * module registries (jest) the native addon may throw another copy's class.
 */
function sqliteCode(e: unknown): string | undefined {
  const err = e as { name?: unknown; code?: unknown } | null;
  return err?.name === 'SqliteError' && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * Run by a read-only `begin()` inside its transaction: SQLite has no read-only transaction,
 * so the connection refuses writes (SQLITE_READONLY) until the transaction ends, when the
 * driver turns it off again, whether COMMIT or ROLLBACK succeeded or not.
 */
export const READ_ONLY_PRAGMA = 'PRAGMA query_only = ON';

/** What the open transaction holds (bits), for `canWaitOut`. */
const NONE = 0;
const READ = 1;
const WRITE = 2;

const TX_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)\b/i;
const TX_FIXED = /^(BEGIN( DEFERRED| IMMEDIATE| EXCLUSIVE)?( TRANSACTION)?|COMMIT|END|ROLLBACK)$/i;

/**
 * A cached prepared statement and whether it reads integers exactly: better-sqlite3's
 * `safeIntegers` makes every integer a BigInt (then normalised back to a number when it
 * fits), which costs more than the rest of a primary-key lookup; the engine asks for it
 * only when a result column can hold integers beyond 2^53 (BigInteger, Numeric, untyped).
 */
interface CachedStatement {
  stmt: Statement;
  exact: boolean;
  /** What running it holds until the transaction ends: READ, or READ | WRITE. */
  held: number;
}

/**
 * One better-sqlite3 database handle, with its prepared statements cached by SQL text.
 *
 * Locks: better-sqlite3's busy timeout waits synchronously, which freezes the event loop
 * and with it the transaction holding the lock (it cannot reach its COMMIT), so two
 * transactions of one process could never wait for each other. The handle is opened with
 * busy_timeout 0 and `query()` waits instead, asynchronously, retrying a statement that met
 * SQLITE_BUSY with SQLite's own busy-handler delays until `timeout` ms have passed. It retries
 * only where SQLite's busy handler would wait: a statement that holds no lock yet (outside a
 * transaction, or the first one after a DEFERRED BEGIN), COMMIT, or one whose transaction
 * holds the write lock. A transaction that has read and then needs the write lock another
 * connection holds fails at once (DeadlockError, or SerializationError for a stale WAL
 * snapshot), as SQLite decides: waiting could not help.
 */
export class SQLiteConnection implements DriverConnection, CursorOwner {
  private readonly statements = new Map<string, CachedStatement>();
  private closed = false;

  /** The statement of the previous call: a loop running one statement skips the map lookup. */
  private last: CachedStatement | undefined = undefined;
  private lastSql = '';

  /** A transaction begun through `query()` is open (the engine's BEGIN, COMMIT, ROLLBACK go there). */
  private txOpen = false;
  /** What the open transaction holds: NONE until its first statement (a DEFERRED BEGIN takes no lock). */
  private held = NONE;
  /** The open transaction ran READ_ONLY_PRAGMA. */
  private readOnlyTx = false;

  /** A Result's rows still in an iterator (`fewRows`): read into memory before anything else runs. */
  private openCursor: SQLiteRowCursor | undefined = undefined;
  private detachScheduled = false;
  /** Ends the open cursor at the end of the event-loop turn: its read lock is not held longer. */
  private readonly detachLater = () => {
    this.detachScheduled = false;
    this.detachOpenCursor();
  };

  constructor(
    readonly db: Database.Database,
    /** Milliseconds to wait for a lock before LockTimeoutError (`db` should have busy_timeout 0). */
    readonly timeout = 5000,
  ) {}

  cursorEnded(cursor: SQLiteRowCursor): void {
    if (this.openCursor === cursor) this.openCursor = undefined;
  }

  /** Frees the connection for another statement: the open cursor's rows go into memory. */
  private detachOpenCursor(): void {
    this.openCursor?.detach();
  }

  private prepare(sql: string, exact = true): CachedStatement {
    if (this.openCursor !== undefined) this.detachOpenCursor();
    let cached = sql === this.lastSql ? this.last : this.statements.get(sql);
    if (cached === undefined) {
      const stmt = this.db.prepare(sql) as Statement;
      if (stmt.reader) stmt.raw(true);
      stmt.safeIntegers(exact);
      cached = { stmt, exact, held: stmt.readonly ? READ : READ | WRITE };
      // Savepoint and pragma texts vary and are rare: not cached. BEGIN, COMMIT and ROLLBACK
      // are the same few texts on every transaction (an ORM session each), and preparing one
      // costs as much as running it: kept, but not as the last statement.
      if (TX_FIXED.test(sql)) this.statements.set(sql, cached);
      else if (!TX_CONTROL.test(sql)) {
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
    return cached;
  }

  query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
    try {
      const res = this.querySync(sql, params, options);
      this.track(sql);
      return Promise.resolve(res);
    } catch (e) {
      return this.queryAfterError(e, sql, params, options);
    }
  }

  /** `query()` once the first try failed: wait out a lock, and leave no failed COMMIT open. */
  private async queryAfterError(error: unknown, sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
    try {
      if (!this.canWaitOut(error, sql)) throw error;
      const res = await this.waitOut(() => this.querySync(sql, params, options), sql, params);
      this.track(sql);
      return res;
    } catch (e) {
      // SQLite keeps the transaction of a failed COMMIT open; the engine has ended it.
      if (this.db.open && this.db.inTransaction && COMMIT.test(sql)) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The COMMIT's error is the one to report.
        }
      }
      if (this.db.open) this.track(sql);
      throw e;
    }
  }

  querySync(sql: string, params: readonly unknown[], options: QueryOptions): DriverResult {
    try {
      // Non-readers keep exact mode: lastInsertRowid is a 64-bit rowid.
      const exact = options.exactIntegers !== false || !options.returnsRows;
      const cached = this.prepare(sql, exact);
      const stmt = cached.stmt;
      const args = bindParams(params);
      if (stmt.reader) {
        let rows: unknown[][];
        let more: RowCursor | undefined;
        if (options.firstRowOnly === true) {
          // The caller reads one row: `get()` stops after it (~0.1 µs less than `all()`).
          const row = firstRow(stmt, args);
          rows = row === undefined ? [] : [row];
        } else if (options.fewRows === true) {
          rows = [];
          more = this.readTwo(stmt, args, exact, rows);
        } else rows = allRows(stmt, args);
        this.held |= cached.held;
        if (exact) for (let i = 0; i < rows.length; i++) normalizeRow(rows[i]);
        const wantColumnNames = !options.returnsRows;
        // Rows the engine did not expect (raw text() SQL) are keyed by the database's column names.
        const columnNames = wantColumnNames ? stmt.columns().map((c) => c.name) : undefined;
        // DML with RETURNING is a reader too; `changes()` tells how many rows it touched.
        return { rows, rowsAffected: rows.length, columnNames, more };
      }
      const info = runStatement(stmt, args);
      this.held |= cached.held;
      return { rows: [], rowsAffected: Number(info.changes), insertId: normalizeId(info.lastInsertRowid) };
    } catch (e) {
      throw this.explain(e, sql, params);
    }
  }

  /**
   * The first two rows into `rows` (what `one()` needs to prove there is one), and a cursor
   * over the rest when there may be more. The iterator costs ~1 µs more than `all()`; the
   * engine asks for it only where the statement's last Result was read in part.
   */
  private readTwo(stmt: Statement, args: readonly unknown[], exact: boolean, rows: unknown[][]): RowCursor | undefined {
    const it = iterateRows(stmt, args);
    let step = it.next();
    if (step.done === true) return undefined;
    rows.push(step.value);
    step = it.next();
    if (step.done === true) return undefined;
    rows.push(step.value);
    const cursor = new SQLiteRowCursor(it, exact, this);
    this.openCursor = cursor;
    if (!this.detachScheduled) {
      this.detachScheduled = true;
      setImmediate(this.detachLater);
    }
    return cursor;
  }

  /**
   * Whether SQLITE_BUSY can be waited out: where SQLite's busy handler would wait. Not in a
   * transaction that has only read: it needs the write lock of a writer that waits for its
   * read lock (rollback journal) or whose commit makes its snapshot stale (WAL).
   */
  canWaitOut(error: unknown, sql: string): boolean {
    if (!sqliteCode(error)?.startsWith('SQLITE_BUSY') || !(this.timeout > 0)) return false;
    // Outside a transaction the statement took no lock. (One begun around the engine is opaque: no.)
    if (!this.txOpen) return !this.db.inTransaction;
    // SQLite rolled the transaction back: the statement must not run again outside it.
    if (!this.db.inTransaction) return false;
    // Nothing held yet; or the write lock held, waiting for readers to leave (COMMIT, or a cache spill).
    return this.held === NONE || (this.held & WRITE) !== 0 || COMMIT.test(sql);
  }

  /** Runs `attempt` again after growing delays while it meets a lock that can be waited out, up to `timeout`. */
  private async waitOut<T>(attempt: () => T, sql: string, params: readonly unknown[]): Promise<T> {
    const started = Date.now();
    for (let i = 0; ; i++) {
      const left = this.timeout - (Date.now() - started);
      if (left <= 0) {
        // Mapped to LockTimeoutError, as better-sqlite3's own busy timeout was.
        throw new SqliteError(`database is locked: another connection held the lock for longer than the timeout (${this.timeout} ms; set it with ?timeout=ms in the URL)`, 'SQLITE_BUSY');
      }
      await sleep(Math.min(BUSY_DELAYS[Math.min(i, BUSY_DELAYS.length - 1)], left));
      try {
        return attempt();
      } catch (e) {
        if (!this.canWaitOut(e, sql)) throw this.explain(e, sql, params);
      }
    }
  }

  /** A clearer error where the connection's state explains a SQLite error; others unchanged. */
  private explain(e: unknown, sql: string, params: readonly unknown[]): unknown {
    const code = sqliteCode(e);
    if (code === undefined) return e;
    if (code.startsWith('SQLITE_BUSY') && this.txOpen && this.db.inTransaction && !this.canWaitOut(e, sql)) {
      const fix = "Roll back and run the transaction again, or begin it with isolationLevel: 'SERIALIZABLE' (BEGIN IMMEDIATE), which takes the write lock before the first read.";
      const options = { cause: e, code, sql, params };
      if (code === 'SQLITE_BUSY_SNAPSHOT') {
        return new SerializationError(`database is locked: another connection wrote since this transaction first read, so its snapshot is stale and it cannot write. ${fix}`, options);
      }
      return new DeadlockError(
        `database is locked: this transaction has read the database and now needs the write lock, which another connection holds; waiting cannot help (that writer waits for this read lock, or its commit makes this snapshot stale). ${fix}`,
        options,
      );
    }
    if (this.readOnlyTx && code.startsWith('SQLITE_READONLY')) return new SqliteError(`${(e as Error).message}: this transaction was begun with readOnly: true`, code);
    return e;
  }

  /** Follows the transaction state after a statement run through `query()`: BEGIN, COMMIT, ROLLBACK... */
  private track(sql: string): void {
    const open = this.db.inTransaction;
    if (open !== this.txOpen) {
      this.txOpen = open;
      // A new transaction holds nothing yet; an ended one nothing any more.
      this.held = NONE;
      if (!open && this.readOnlyTx) {
        this.readOnlyTx = false;
        this.db.exec('PRAGMA query_only = OFF');
      }
    } else if (open && sql === READ_ONLY_PRAGMA) this.readOnlyTx = true;
  }

  private runOne(sql: string, params: readonly unknown[]): number {
    const cached = this.prepare(sql);
    const changes = runStatement(cached.stmt, bindParams(params)).changes;
    this.held |= cached.held;
    return Number(changes);
  }

  async executeMany(sql: string, paramSets: readonly (readonly unknown[])[]): Promise<{ rowsAffected: number }> {
    let n = 0;
    // One statement for every set, looked up once (a set that waits out a lock takes the general path).
    const cached = this.prepare(sql);
    for (const p of paramSets) {
      try {
        n += Number(runStatement(cached.stmt, bindParams(p)).changes);
        this.held |= cached.held;
      } catch (e) {
        if (!this.canWaitOut(e, sql)) throw this.explain(e, sql, p);
        n += await this.waitOut(() => this.runOne(sql, p), sql, p);
      }
    }
    return { rowsAffected: n };
  }

  async *stream(sql: string, params: readonly unknown[], options: { chunkSize: number }): AsyncIterable<unknown[][]> {
    this.detachOpenCursor();
    const args = bindParams(params);
    // Prepares, runs and reads the first row: where a lock is met, so where a retry starts over.
    const start = () => {
      // A dedicated statement: an iterating statement is busy until the iterator finishes.
      const stmt = this.db.prepare(sql) as Statement;
      if (!stmt.reader) {
        runStatement(stmt, args);
        this.held |= READ | WRITE;
        return undefined;
      }
      stmt.raw(true);
      stmt.safeIntegers(true);
      const it = stmt.iterate(...args) as IterableIterator<unknown[]>;
      const step = it.next();
      this.held |= stmt.readonly ? READ : READ | WRITE;
      return { it, step };
    };
    let started: ReturnType<typeof start>;
    try {
      started = start();
    } catch (e) {
      if (!this.canWaitOut(e, sql)) throw this.explain(e, sql, params);
      started = await this.waitOut(start, sql, params);
    }
    if (started === undefined) return;
    const { it } = started;
    try {
      let chunk: unknown[][] = [];
      for (let step = started.step; !step.done; step = it.next()) {
        chunk.push(normalizeRow(step.value));
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
      this.prepare('SELECT 1').stmt.get();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.detachOpenCursor();
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

/** Driver options for SQLite engines (`driverOptions`): the busy timeout on a locked database and whether the file is opened read-only. */
export interface SQLiteDriverOptions {
  /**
   * Milliseconds to wait on a locked database before LockTimeoutError (default 5000). The
   * wait is asynchronous: other work, and other transactions of the process, go on meanwhile.
   */
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
      // busy_timeout 0: SQLite's wait would block the event loop; the connection waits asynchronously.
      const db = new Database(this.filename, { ...rest, timeout: 0 } as Database.Options);
      db.pragma('foreign_keys = ON');
      return Promise.resolve(new SQLiteConnection(db, timeout));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  serverVersion(conn: DriverConnection): Promise<number[]> {
    const v = (conn as SQLiteConnection).db.prepare('SELECT sqlite_version()').pluck().get() as string;
    return Promise.resolve(v.split('.').map(Number));
  }
}
