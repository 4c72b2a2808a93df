/**
 * A connection checked out from the engine's pool: executes statements, manages an
 * explicit transaction and savepoints. Outside `begin()` each statement commits on its own
 * (the driver's autocommit); inside, a failed statement puts the transaction in a state
 * that needs `rollback()`: further use raises `PendingRollbackError`.
 */
import { buildParams, compileCached } from '../compiler/compile';
import type { Compiled } from '../compiler/compiled';
import type { Dialect } from '../dialect/dialect';
import type { DriverConnection, DriverResult, QueryOptions } from '../dialect/driver';
import type { PoolEntry } from '../pool/pool';
import { ArgumentError, CommitOutcomeUnknownError, DisconnectError, InvalidRequestError, PendingRollbackError, ResourceClosedError } from '../errors';
import type { MetaData } from '../schema/metadata';
import type { Table } from '../schema/table';
import type { ClauseElement } from '../sql/element';
import type { Insert, InsertValues } from '../sql/dml';
import type { FirstOf, RowOfStatement, TupleOfStatement } from '../sql/row-tuple';
import type { Engine } from './engine';
import { type ExecuteManyHost, executeMany } from './execute-many';
import { type ExecuteOptions, type Limits, canceledError, expired, mergeLimits, underLimits } from './limits';
import { Result, type RowSource, compiledKeys } from './result';
import { buildRows, firstValueOf, setKey } from './rows';
import { runSchemaOperation } from './schema-ops';
import { withSqlComment } from './sql-comment';
import { onlyReads } from './replicas';
import { checkSessionState } from './pooler';

/** Parameters of one execution: values for `bindparam()` names, or (for INSERT) a row. */
export type ExecuteParams = Record<string, unknown>;

/**
 * What `execute(statement, params)` takes: for an INSERT without VALUES the rows to insert,
 * typed as `values()` types them (required columns, no unknown keys, one row or a list);
 * otherwise the values of the statement's bound parameters, one set or a list.
 */
export type ParamsFor<S> = S extends Insert<infer T, any, false> ? InsertValues<T> | readonly InsertValues<T>[] : ExecuteParams | readonly ExecuteParams[];
/** One set of parameters (`first`, `scalar`): one row for an INSERT without VALUES. */
export type OneParamsFor<S> = S extends Insert<infer T, any, false> ? InsertValues<T> : ExecuteParams;


/** Options of `begin()`: isolation level, read-only, a timeout or an abort signal. */
export interface TransactionOptions {
  isolationLevel?: 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
  readOnly?: boolean;
  /** Cancels the running statement and fails the transaction (it rolls back) when aborted. */
  signal?: AbortSignal;
  /** Milliseconds the whole transaction may take: statements past it are canceled, COMMIT refused. */
  timeout?: number;
  /**
   * CockroachDB's transaction priority (`SET TRANSACTION PRIORITY ...`): in a conflict the
   * higher one wins and the other retries. Other databases refuse it with `ArgumentError`.
   */
  priority?: TransactionPriority;
}

/** CockroachDB's transaction priorities. */
export type TransactionPriority = 'low' | 'normal' | 'high';

/** What an execution hands back: a `Result`, or only the first row, or its first value. */
const AS_RESULT = 0;
const AS_FIRST_ROW = 1;
const AS_SCALAR = 2;
type Shape = typeof AS_RESULT | typeof AS_FIRST_ROW | typeof AS_SCALAR;

/** One database connection from the engine's pool: `execute()`, `first()`, transactions (`begin()`, `beginNested()`), streaming. */
export class Connection {
  private closed = false;
  /** 0: none; 1: the outer transaction; 2+: savepoints. */
  private depth = 0;
  private failed: Error | undefined;
  private savepointCounter = 0;
  /** Limits on every statement (engine default timeout, the transaction's signal and deadline); undefined: none. */
  private limits: Limits | undefined;
  /** The limits to restore when the transaction that set `limits` ends. */
  private outerLimits: Limits | undefined;

  /** On an engine with replicas: whether this connection ran something other than a read (its reads then stay on the primary). */
  private wrote = false;

  constructor(
    readonly engine: Engine,
    private entry: PoolEntry,
    /** On an engine with replicas: 'primary' keeps every statement here; undefined routes reads outside a transaction to a replica. */
    private readonly use?: 'primary' | 'replica',
  ) {
    if (engine.statementTimeout !== undefined) this.limits = { timeout: engine.statementTimeout };
  }

  get dialect(): Dialect {
    return this.engine.dialect;
  }
  get driverConnection(): DriverConnection {
    return this.entry.conn;
  }
  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /**
   * Runs a statement. With a list of parameter sets it is an executemany (INSERT rows are
   * batched into multi-row VALUES within the database's parameter limit).
   */
  execute<S extends ClauseElement>(statement: S, params?: ParamsFor<S>, options?: ExecuteOptions): Promise<Result<RowOfStatement<S>, TupleOfStatement<S>>> {
    // Not async: dispatch already returns a promise (errors still reject), and one promise hop less.
    return this.dispatch(statement, params as ExecuteParams | undefined, undefined, AS_RESULT, options) as Promise<Result<RowOfStatement<S>, TupleOfStatement<S>>>;
  }

  /** `execute` with a context object handed to entity loaders (used by the ORM). */
  executeWithContext(statement: ClauseElement, params: ExecuteParams | readonly ExecuteParams[] | undefined, context: unknown, options?: ExecuteOptions): Promise<Result<any>> {
    return this.dispatch(statement, params, context, AS_RESULT, options);
  }

  /**
   * The first row, or null when there is none; the rest are not read (SQLAlchemy's
   * `Result.first()`). On SQLite a SELECT then stops after one row, which makes this the
   * cheapest way to run a lookup. For exactly one row use `(await execute()).one()`.
   */
  first<S extends ClauseElement>(statement: S, params?: OneParamsFor<S>, options?: ExecuteOptions): Promise<RowOfStatement<S> | null> {
    return this.dispatch(statement, params as ExecuteParams | undefined, undefined, AS_FIRST_ROW, options);
  }

  /** `first` with a context object handed to entity loaders (used by the ORM). */
  firstWithContext(statement: ClauseElement, params: ExecuteParams | undefined, context: unknown, options?: ExecuteOptions): Promise<any> {
    return this.dispatch(statement, params, context, AS_FIRST_ROW, options);
  }

  /** The first column of the first row, or null; like `first()`, the rest are not read. */
  scalar<S extends ClauseElement>(statement: S, params?: OneParamsFor<S>, options?: ExecuteOptions): Promise<FirstOf<RowOfStatement<S>, TupleOfStatement<S>> | null> {
    return this.dispatch(statement, params as ExecuteParams | undefined, undefined, AS_SCALAR, options);
  }

  // Not async: a synchronous driver's result is wrapped in one resolved promise, and a bad
  // statement still rejects instead of throwing.
  private dispatch(statement: ClauseElement, params: ExecuteParams | readonly ExecuteParams[] | undefined, context: unknown, shape: Shape, own: ExecuteOptions | undefined): Promise<any> {
    try {
      this.checkUsable();
      const replicas = this.engine.replicaSet;
      if (replicas !== undefined ? this.toReplica(statement, params, own) : own?.use === 'replica') {
        if (replicas === undefined) throw new ArgumentError(`execute(..., { use: 'replica' }): this engine has no replicas; give them with createEngine(url, { replicas: [url, ...] }).`);
        // On the replica's own connection the statement runs as it is (its engine routes nothing).
        const there = own?.use === undefined ? own : { ...own, use: undefined };
        return replicas.run((c) => c.dispatch(statement, params, context, shape, there));
      }
      const limits = own === undefined ? this.limits : mergeLimits(own, this.limits);
      // Raw SQL behind a transaction pooler: refused before anything is sent if it sets session state.
      if (this.engine.pooler !== undefined && (statement as { kind?: string }).kind === 'text') {
        checkSessionState(compileCached(this.engine.dialect, statement).compiled.sql, this.depth > 0, this.engine.dialect.name);
      }
      if (Array.isArray(params)) {
        if (shape !== AS_RESULT) throw new ArgumentError(`${shapeName(shape)}() takes one set of parameters; a list of them is an executemany: use execute().`);
        return this.executeMany(statement, params as readonly ExecuteParams[], limits);
      }
      const dialect = this.engine.dialect;
      let stmt = statement;
      if (params !== undefined && (statement as any).kind === 'insert' && (statement as any).valueRows.length === 0) {
        stmt = (statement as any).values(params);
        params = undefined;
      }
      const { compiled, values } = compileCached(dialect, stmt);
      let options = shape === AS_RESULT ? resultOptions(compiled, this.engine.observer.active) : firstRowOptions(compiled, shape);
      let { sql, params: driverParams } = buildParams(dialect, compiled, values, params as ExecuteParams | undefined);
      if (this.engine.sqlComment !== undefined || own?.comment !== undefined) {
        const tagged = withSqlComment(sql, this.engine.sqlComment, own?.comment);
        // Text that changes per call is not worth a named prepared statement.
        if (tagged !== sql) [sql, options] = [tagged, { ...options, prepareName: undefined }];
      }
      const conn = this.entry.conn;
      if (limits !== undefined) this.checkLimits(limits, sql, driverParams);
      // A synchronous driver answers at once (with echo, `run` times and logs the call); one
      // that cannot cancel is only checked before the statement (it cannot be interrupted).
      if (conn.querySync !== undefined && !this.engine.observer.active && (limits === undefined || conn.cancel === undefined)) {
        this.checkParamCount(driverParams.length);
        let res: DriverResult;
        try {
          res = conn.querySync(sql, driverParams, options);
        } catch (e) {
          // A lock the driver waits for asynchronously (its synchronous wait would block the
          // event loop, and with it the transaction holding the lock): the async path retries.
          if (conn.canWaitOut?.(e, sql) !== true) throw this.handleError(e, sql, driverParams);
          return this.run(sql, driverParams, options, limits).then((res) => shaped(this, compiled, res, context, shape));
        }
        return Promise.resolve(shaped(this, compiled, res, context, shape));
      }
      return this.run(sql, driverParams, options, limits).then((res) => shaped(this, compiled, res, context, shape));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Whether a statement goes to a replica: forced per statement or connection, else a read
   * outside a transaction on a connection that has not written (read-your-writes).
   */
  private toReplica(statement: ClauseElement, params: unknown, own: ExecuteOptions | undefined): boolean {
    const use = own?.use ?? this.use;
    const reads = onlyReads(statement);
    if (!reads) this.wrote = true;
    if (use === 'replica') {
      if (this.depth > 0) throw new ArgumentError("use: 'replica' inside a transaction: a transaction runs on the primary, whole. Run the read outside it, or leave the option out.");
      return true;
    }
    return use === undefined && reads && this.depth === 0 && !this.wrote && !Array.isArray(params);
  }

  /** The first column of every row. */
  async scalars<S extends ClauseElement>(statement: S, params?: OneParamsFor<S>) {
    return (await this.execute(statement, params as ParamsFor<S>)).scalars();
  }

  /** Raw SQL in the driver's own placeholder style, for what the expression language lacks. */
  async execDriverSQL(sql: string, params: readonly unknown[] = [], options?: ExecuteOptions): Promise<{ rows: unknown[][]; rowsAffected: number }> {
    this.checkUsable();
    if (this.engine.pooler !== undefined) checkSessionState(sql, this.depth > 0, this.dialect.name);
    // Raw SQL may write: it runs on the primary, and the connection's reads stay there after it.
    this.wrote = true;
    const limits = options === undefined ? this.limits : mergeLimits(options, this.limits);
    if (limits !== undefined) this.checkLimits(limits, sql, params);
    return this.runRaw(sql, params, true, limits);
  }

  /**
   * Streams rows in chunks (server-side cursor / driver streaming) instead of loading them all.
   * `signal` and `timeout` bound the whole stream: when one fires the server stops the
   * statement and the iteration ends with `QueryCanceledError`. Leaving the loop early
   * (`break`) or an error releases the driver's cursor; the connection stays usable.
   */
  async *stream<S extends ClauseElement>(statement: S, params?: ExecuteParams, options: { chunkSize?: number } & ExecuteOptions = {}): AsyncGenerator<RowOfStatement<S>> {
    this.checkUsable();
    const dialect = this.engine.dialect;
    const { compiled, values } = compileCached(dialect, statement);
    if (this.engine.pooler !== undefined && compiled.kind === 'text') checkSessionState(compiled.sql, this.depth > 0, dialect.name);
    const { sql, params: driverParams } = buildParams(dialect, compiled, values, params);
    const limits = mergeLimits(options, this.limits);
    if (limits !== undefined) this.checkLimits(limits, sql, driverParams);
    if (this.engine.observer.active) this.engine.observer.started(sql, driverParams, this.entry.id);
    const conn = this.entry.conn;
    const rows = conn.stream(sql, driverParams, { chunkSize: options.chunkSize ?? 1000 });
    if (limits === undefined) {
      try {
        for await (const chunk of rows) for (const row of buildRows(compiled, chunk, undefined)) yield row as RowOfStatement<S>;
      } catch (e) {
        throw this.handleError(e, sql, driverParams);
      }
      return;
    }
    // Under limits: each wait for the next chunk is one driver call the limits can cancel.
    const iterator = rows[Symbol.asyncIterator]();
    const deadline = limits.timeout === undefined ? limits.deadline : Math.min(limits.deadline ?? Number.POSITIVE_INFINITY, performance.now() + limits.timeout);
    const whole: Limits = { signal: limits.signal, deadline };
    try {
      for (;;) {
        const why = expired(whole);
        if (why !== undefined) throw canceledError(why, limits, { sql, params: driverParams, sent: true, inTransaction: this.depth > 0 });
        const out = await underLimits(conn, whole, () => iterator.next(), () => void conn.close().catch(() => {}));
        if ('value' in out) {
          if (out.value.done) return;
          for (const row of buildRows(compiled, out.value.value, undefined)) yield row as RowOfStatement<S>;
          continue;
        }
        const err = this.handleError(out.error, sql, driverParams);
        throw out.fired ? canceledError(out.fired, limits, { sql, params: driverParams, cause: err, sent: true, inTransaction: this.depth > 0 }) : err;
      }
    } finally {
      await iterator.return?.();
    }
  }

  // -- transactions -----------------------------------------------------------------------

  /** Begins the transaction (`BEGIN`); `commit()`/`rollback()` end it. With a callback: commit on success, rollback on throw. */
  async begin(options?: TransactionOptions): Promise<void>;
  async begin<T>(fn: (conn: Connection) => Promise<T>, options?: TransactionOptions): Promise<T>;
  async begin<T>(a?: ((conn: Connection) => Promise<T>) | TransactionOptions, b?: TransactionOptions): Promise<T | void> {
    this.checkUsable();
    if (this.depth > 0) throw new InvalidRequestError('A transaction is already begun on this connection; use beginNested() for a savepoint.');
    const options = (typeof a === 'function' ? b : a) ?? {};
    if (options.priority !== undefined && this.engine.plugin.beginStatements === undefined) {
      throw new ArgumentError(`begin({ priority }): transaction priorities are CockroachDB's; the '${this.dialect.name}' dialect has none. Leave the option out.`);
    }
    for (const sql of this.engine.plugin.beginStatements?.(options, this.dialect) ?? ['BEGIN']) await this.runRaw(sql, [], false);
    this.depth = 1;
    this.failed = undefined;
    if (options.signal !== undefined || options.timeout !== undefined) {
      this.outerLimits = this.limits;
      const outer = this.limits;
      this.limits = {
        signal: outer?.signal && options.signal ? AbortSignal.any([outer.signal, options.signal]) : (options.signal ?? outer?.signal),
        timeout: outer?.timeout,
        deadline: options.timeout === undefined ? outer?.deadline : performance.now() + options.timeout,
      };
    }
    if (typeof a !== 'function') return;
    return this.runInTransaction(a, () => this.commit(), () => this.rollback());
  }

  async commit(): Promise<void> {
    if (this.depth === 0) throw new InvalidRequestError('commit(): no transaction is begun on this connection.');
    if (this.failed) {
      const failed = this.failed;
      await this.rollback();
      throw new PendingRollbackError(`This transaction failed on an earlier statement and was rolled back; nothing was committed. The original error: ${failed.message}`, { cause: failed });
    }
    // Past the transaction's deadline, or aborted: it must not commit.
    const why = this.limits === undefined ? undefined : expired(this.limits);
    if (why !== undefined) {
      const limits = this.limits!;
      await this.rollback();
      throw canceledError(why, limits, { sql: 'COMMIT', sent: false, inTransaction: false });
    }
    this.depth = 0;
    this.endLimits();
    // A connection known dead before COMMIT is sent committed nothing (the server rolls back).
    const sentOnLiveConnection = this.entry.conn.isClosed?.() !== true;
    try {
      await this.runRaw('COMMIT', [], false);
    } catch (e) {
      if (!(e instanceof DisconnectError) || e instanceof CommitOutcomeUnknownError || !sentOnLiveConnection) throw e;
      throw new CommitOutcomeUnknownError(
        `The connection was lost during COMMIT: it is unknown whether the transaction committed. Check whether its changes are there before running it again. (${e.message})`,
        { cause: e, code: e.code, sql: e.sql, params: e.params },
      );
    }
  }

  async rollback(): Promise<void> {
    if (this.depth === 0) return;
    this.depth = 0;
    this.failed = undefined;
    this.endLimits();
    await this.runRaw('ROLLBACK', [], false);
  }

  /** A savepoint inside the current transaction; with a callback: released on success, rolled back to on throw. */
  async beginNested(): Promise<Savepoint>;
  async beginNested<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  async beginNested<T>(fn?: (conn: Connection) => Promise<T>): Promise<T | Savepoint> {
    this.checkUsable();
    if (this.depth === 0) throw new InvalidRequestError('beginNested() needs an open transaction: call begin() first.');
    const name = `sa_savepoint_${++this.savepointCounter}`;
    await this.runRaw(`SAVEPOINT ${name}`, [], false);
    this.depth++;
    const sp = new Savepoint(this, name);
    if (!fn) return sp;
    return this.runInTransaction(fn, () => sp.release(), () => sp.rollback());
  }

  /** @internal used by Savepoint */
  async endSavepoint(name: string, rollback: boolean): Promise<void> {
    this.depth--;
    if (rollback) {
      await this.runRaw(`ROLLBACK TO SAVEPOINT ${name}`, [], false);
      this.failed = undefined;
    }
    await this.runRaw(`RELEASE SAVEPOINT ${name}`, [], false);
  }

  private async runInTransaction<T>(fn: (conn: Connection) => Promise<T>, onSuccess: () => Promise<void>, onError: () => Promise<void>): Promise<T> {
    let result: T;
    try {
      result = await fn(this);
    } catch (e) {
      try {
        await onError();
      } catch {
        // The original error matters more than a failed rollback (often the same broken connection).
      }
      throw e;
    }
    await onSuccess();
    return result;
  }

  /** Returns the connection to the pool (rolling back any open transaction). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.depth > 0) {
      try {
        this.depth = 0;
        await this.entry.conn.query('ROLLBACK', [], { returnsRows: false, rowMode: 'array' });
      } catch (e) {
        // A connection that cannot roll back is not handed out again; a disconnect also marks the pool's older ones.
        this.engine.pool.invalidate(this.entry, 'rollbackFailed', e as Error, this.entry.conn.isDisconnect(e));
        return;
      }
    }
    this.engine.pool.release(this.entry);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Used by `metadata.createAll(conn)`. */
  async runSchemaOperation(op: 'createAll' | 'dropAll', metadata: MetaData, options: { checkFirst?: boolean; tables?: Table<any, any>[] }): Promise<void> {
    await runSchemaOperation(this, op, metadata, options);
  }

  // -- internals --------------------------------------------------------------------------

  /** The transaction's signal and deadline end with it. */
  private endLimits(): void {
    if (this.outerLimits === undefined && this.limits === undefined) return;
    this.limits = this.outerLimits ?? (this.engine.statementTimeout !== undefined ? { timeout: this.engine.statementTimeout } : undefined);
    this.outerLimits = undefined;
  }

  /** Refuses to send a statement whose signal is aborted or whose transaction is out of time. */
  private checkLimits(limits: Limits, sql: string, params: unknown): void {
    const why = expired(limits);
    if (why !== undefined) throw canceledError(why, limits, { sql, params, sent: false, inTransaction: this.depth > 0 });
  }

  private checkUsable(): void {
    if (this.closed) throw new ResourceClosedError('This connection is closed; get a new one from engine.connect().');
    if (this.failed) {
      throw new PendingRollbackError(
        `This connection's transaction failed on an earlier statement and must be rolled back (await conn.rollback()) before further use. The original error: ${this.failed.message}`,
        { cause: this.failed },
      );
    }
  }

  private executeMany(statement: ClauseElement, rows: readonly ExecuteParams[], limits: Limits | undefined): Promise<Result<any>> {
    const host: ExecuteManyHost = {
      dialect: this.engine.dialect,
      executeOne: (p: ExecuteParams) => this.dispatch(statement, p, undefined, AS_RESULT, limits),
      // `prepareName` overrides the statement's own (executemany names its full-size batch).
      run: (sql, params, compiled, prepareName) => {
        const own = compiled.queryOptions;
        // The statement's own name is for its own SQL: other SQL (an UPDATE's batch) runs under the name given, or none.
        const name = prepareName ?? (sql === compiled.sql ? own.prepareName : undefined);
        return this.run(sql, params, name === own.prepareName ? own : { ...own, prepareName: name }, limits);
      },
      runMany: this.entry.conn.executeMany !== undefined ? (sql, paramSets) => this.runMany(sql, paramSets, limits) : undefined,
    };
    return executeMany(host, statement, rows);
  }

  private runMany(sql: string, paramSets: unknown[][], limits: Limits | undefined): Promise<{ rowsAffected: number }> {
    if (paramSets.length) this.checkParamCount(paramSets[0].length);
    // The first sets and the count: a thousand rows of parameters would drown the log.
    const shown = paramSets.length > 3 ? [...paramSets.slice(0, 3), `... ${paramSets.length} parameter sets`] : paramSets;
    return this.timed(sql, shown, paramSets, () => this.entry.conn.executeMany!(sql, paramSets), limits);
  }

  private run(sql: string, params: unknown[], options: Readonly<QueryOptions>, limits: Limits | undefined) {
    this.checkParamCount(params.length);
    return this.timed(sql, params, params, () => this.entry.conn.query(sql, params, options), limits);
  }

  /** Past the limit some protocols wrap the count and drop the connection: refuse before sending. */
  private checkParamCount(count: number): void {
    const max = this.engine.dialect.capabilities.dml.maxParams;
    if (count > max) {
      throw new ArgumentError(
        `This statement has ${count} bound parameters; the database accepts at most ${max}. For many rows, pass them as a list (conn.execute(insert(t), rows) batches within the limit); split a large in() list, or use a temporary table.`,
      );
    }
  }

  private runRaw(sql: string, params: readonly unknown[], returnsRows: boolean, limits?: Limits) {
    return this.timed(sql, params, params, () => this.entry.conn.query(sql, params, { returnsRows, rowMode: 'array' }), limits);
  }

  /**
   * One driver call: reported when the engine observes statements (echo, slow log, events;
   * `shown` is what the log prints), run under `limits` when there are any, and a driver
   * error translated, with `params` attached, by `handleError`.
   */
  private async timed<T extends { rowsAffected: number; rows?: unknown[][] }>(
    sql: string,
    shown: readonly unknown[],
    params: unknown,
    call: () => Promise<T>,
    limits?: Limits,
  ): Promise<T> {
    const observer = this.engine.observer.active ? this.engine.observer : undefined;
    const id = this.entry.id;
    const started = observer !== undefined ? observer.before(sql, shown, id) : 0;
    if (limits === undefined) {
      try {
        const res = await call();
        if (observer !== undefined) observer.after(sql, shown, id, started, res.rows?.length || res.rowsAffected);
        return res;
      } catch (e) {
        const err = this.handleError(e, sql, params);
        if (observer !== undefined) observer.failed(sql, shown, id, started, err);
        throw err;
      }
    }
    const conn = this.entry.conn;
    // A driver that cannot cancel: closing the connection is the only way to stop the statement.
    const out = await underLimits(conn, limits, call, () => void conn.close().catch(() => {}));
    if ('value' in out) {
      if (observer !== undefined) observer.after(sql, shown, id, started, out.value.rows?.length || out.value.rowsAffected);
      return out.value;
    }
    let err = this.handleError(out.error, sql, params);
    if (out.fired !== undefined) err = canceledError(out.fired, limits, { sql, params, cause: err, sent: true, inTransaction: this.depth > 0 });
    if (observer !== undefined) observer.failed(sql, shown, id, started, err);
    throw err;
  }

  /** @internal A driver error met while a Result reads rows the driver had not read yet. */
  readError(e: unknown, compiled: Compiled): Error {
    return this.handleError(e, compiled.sql, undefined);
  }

  private handleError(e: unknown, sql: string, params: unknown): Error {
    const err = this.engine.dialect.translateError(e, { sql, params });
    if (this.entry.conn.isDisconnect(e) || err instanceof DisconnectError) {
      // The connection is gone: drop it from the pool; this Connection object is finished.
      if (!this.closed) {
        this.closed = true;
        this.depth = 0;
        this.engine.pool.invalidate(this.entry, 'disconnect', err);
      }
      return err;
    }
    if (this.depth > 0) this.failed = err;
    return err;
  }
}

/** A SAVEPOINT within a transaction. */
export class Savepoint {
  private done = false;
  constructor(
    private readonly conn: Connection,
    readonly name: string,
  ) {}
  async release(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.conn.endSavepoint(this.name, false);
  }
  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.conn.endSavepoint(this.name, true);
  }
}

/** Rows of raw SQL the engine has no column list for: keyed by the database's column names. */
function rowsByName(names: readonly string[], raw: readonly unknown[][]): Record<string, unknown>[] {
  return raw.map((r) => {
    const row: Record<string, unknown> = {};
    // setKey: a column named __proto__ is a key, not the row's prototype.
    for (let i = 0; i < names.length; i++) setKey(row, names[i], r[i]);
    return row;
  });
}

const shapeName = (shape: Shape) => (shape === AS_SCALAR ? 'scalar' : 'first');

/** What one execution hands back, by shape. */
function shaped(source: RowSource, compiled: Compiled, res: DriverResult, context: unknown, shape: Shape): unknown {
  return shape === AS_RESULT ? toResult(source, compiled, res, context) : firstOf(compiled, res, context, shape);
}

/**
 * A SELECT's options for a Result: the first-row call where the statement cannot return
 * more (`atMostOneRow`); rows one at a time where its last Result was read only in part
 * (entity rows excepted: loading them has effects, and stays at execution; and not while
 * statement events or echo report each statement's row count); else every row.
 */
function resultOptions(compiled: Compiled, countsRows: boolean): Readonly<QueryOptions> {
  if (compiled.kind !== 'select') return compiled.queryOptions;
  if (compiled.atMostOneRow) return compiled.firstRowOptions ?? firstRowOptions(compiled, AS_FIRST_ROW);
  if (compiled.readsEveryRow || countsRows || compiled.entitySlots.length > 0) return compiled.queryOptions;
  return compiled.fewRowsOptions ?? (compiled.fewRowsOptions = Object.freeze({ ...compiled.queryOptions, fewRows: true }));
}

/** A SELECT's options with `firstRowOnly`; other statements run in full (DML with RETURNING makes its changes whatever is read). */
function firstRowOptions(compiled: Compiled, shape: Shape): Readonly<QueryOptions> {
  if (compiled.kind !== 'select') {
    if (shape === AS_FIRST_ROW && !compiled.returnsRows && compiled.kind !== 'text') {
      throw new InvalidRequestError(`first() reads a row, and this ${compiled.kind.toUpperCase()} returns none: add returning(...) or use execute().`);
    }
    return compiled.queryOptions;
  }
  return compiled.firstRowOptions ?? (compiled.firstRowOptions = Object.freeze({ ...compiled.queryOptions, firstRowOnly: true }));
}

/** The first row (or its first value) of one execution, or null. */
function firstOf(compiled: Compiled, res: DriverResult, context: unknown, shape: Shape): unknown {
  const raw = res.rows;
  if (raw.length === 0) return null;
  if (raw.length > 1) raw.length = 1;
  if (!compiled.returnsRows) {
    // Raw SQL: keyed by the database's column names.
    if (shape === AS_SCALAR) return raw[0][0] ?? null;
    return res.columnNames ? rowsByName(res.columnNames, raw)[0] : null;
  }
  if (shape === AS_SCALAR && compiled.entitySlots.length === 0) return firstValueOf(compiled, raw[0]) ?? null;
  const row = buildRows(compiled, raw, context)[0];
  return shape === AS_SCALAR ? ((row as any)[compiledKeys(compiled)[0]] ?? null) : row;
}

/** The Result of one execution: typed rows (built when read), keys, rowcount and the generated key. */
function toResult(source: RowSource, compiled: Compiled, res: DriverResult, context: unknown): Result<any> {
  if (compiled.kind === 'select' && compiled.returnsRows) return Result.ofRows(compiled, res.rows, context, res.more, source);
  // DML (with RETURNING, rows are built at once: the statement has made its changes) and raw SQL.
  const rows = compiled.returnsRows ? buildRows(compiled, res.rows, context) : res.columnNames && res.rows.length ? rowsByName(res.columnNames, res.rows) : [];
  return new Result(
    rows,
    compiled.returnsRows ? compiledKeys(compiled) : (res.columnNames ?? []),
    compiled.kind === 'select' ? rows.length : res.rowsAffected,
    compiled.kind === 'insert' && res.insertId !== undefined && compiled.autoincrementKey ? res.insertId : undefined,
  );
}
