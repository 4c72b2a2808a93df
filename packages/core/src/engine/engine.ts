import type { Dialect } from '../dialect/dialect';
import { ArgumentError, AthanorError, DBAPIError, OperationalError, QueryCanceledError } from '../errors';
import type { MetaData } from '../schema/metadata';
import type { Table } from '../schema/table';
import { Pool, type PoolEntry } from '../pool/pool';
import { Connection, type TransactionOptions } from './connection';
import { type EngineEventName, type EngineListener, EventEmitter } from './events';
import { loadDialect } from './load-dialect';
import { type EchoOption, Observer } from './observe';
import { type RetryOptions, withRetries } from './retry';
import type { SqlCommenter } from './sql-comment';
import type { DialectPlugin } from './plugin';
import { type PoolerMode, checkPoolerOption } from './pooler';
import { type ReplicaOptions, ReplicaSet, type Routing } from './replicas';
import { type EngineURL, parseURL } from './url';

/** Options of `createEngine(url, options)`: pool sizes and recycling, echo, statement timeouts, isolation level, compiled cache size, replicas, driver options. */
export interface EngineOptions extends ReplicaOptions {
  /** Connections kept open (default 5; 1 for SQLite in memory). */
  poolSize?: number;
  /** Extra connections beyond poolSize under load (default 10). */
  maxOverflow?: number;
  /** Milliseconds to wait for a connection before `PoolTimeoutError` (default 30000). */
  poolTimeout?: number;
  /** Replace connections older than this many milliseconds (default -1: never). */
  poolRecycle?: number;
  /** Ping connections at checkout (default false). */
  poolPrePing?: boolean;
  /**
   * Log SQL with parameters and timings: `true` logs to console.log; `'debug'` also logs pool
   * checkouts, checkins, connects and invalidations; a function gets each line and its
   * structured record (`{ level, sql, params, durationMs, rowCount, connectionId, error }`).
   */
  echo?: EchoOption;
  /** Statements taking at least this many milliseconds are logged as warnings (console.warn, or the echo function), echo or not. */
  slowStatementMs?: number;
  /**
   * Default `timeout` of every statement, in milliseconds: past it the statement is canceled
   * on the server and raises `QueryCanceledError` (per call: `execute(stmt, params, { timeout })`).
   */
  statementTimeout?: number;
  /**
   * Tags appended to each statement as a SQL comment in sqlcommenter format
   * (`/*route='%2Fusers',traceparent='00-...'*\/`), for tracing statements in the database's
   * own logs. Per call: `execute(stmt, params, { comment })`.
   */
  sqlComment?: SqlCommenter;
  /** Default isolation level for transactions begun by this engine. */
  isolationLevel?: TransactionOptions['isolationLevel'];
  /** Size of the compiled-statement cache (default 500). */
  compiledCacheSize?: number;
  /** A dialect plugin to use instead of looking up the installed package. */
  dialect?: DialectPlugin;
  /** Options passed to the driver (for example pg's `ssl`). */
  driverOptions?: Record<string, unknown>;
  /**
   * `'transaction'`: the URL points at a pooler that shares server connections per
   * transaction (pgbouncer's transaction mode). Statements that would set session state
   * there (a session `SET`, `LISTEN`, SQL `PREPARE`...) are refused with `SessionStateError`
   * naming `SET LOCAL`; on PostgreSQL statements are sent unnamed unless the URL sets
   * `prepared_statement_cache_size` (pgbouncer 1.21+ with `max_prepared_statements`).
   */
  pooler?: PoolerMode;
}

/**
 * The starting point: a dialect, a pool of connections, and the compiled cache.
 * `engine.connect(fn)` lends a connection for `fn`; `engine.begin(fn)` runs `fn` in a
 * transaction that commits on success and rolls back on throw (rethrowing the original).
 */
export class Engine {
  readonly url: EngineURL;
  readonly plugin: DialectPlugin;
  readonly dialect: Dialect;
  readonly pool: Pool;
  /** @internal Listeners of `on()`; checked with `events.has(name)` before any work for an event. */
  readonly events = new EventEmitter();
  /** @internal Echo, slow-statement log and statement events; `observer.active` is false when nothing listens. */
  readonly observer: Observer;
  /** @internal Tags for a SQL comment on each statement. */
  readonly sqlComment: SqlCommenter | undefined;
  /** @internal The engine's default statement timeout (ms). */
  readonly statementTimeout: number | undefined;
  private readonly isolationLevel: TransactionOptions['isolationLevel'];
  /** @internal `pooler: 'transaction'`: raw statements are checked for session state. */
  readonly pooler: PoolerMode | undefined;
  /** @internal The read replicas (`replicas` option); undefined without any. */
  readonly replicaSet: ReplicaSet | undefined;

  constructor(url: string | EngineURL, options: EngineOptions = {}) {
    this.url = typeof url === 'string' ? parseURL(url) : url;
    this.plugin = options.dialect ?? loadDialect(this.url.dialect);
    const flavor = this.url.flavor;
    if (flavor !== undefined && !this.plugin.flavors?.includes(flavor)) {
      const known = this.plugin.flavors?.length ? `it knows ${this.plugin.flavors.join(', ')}` : 'it has none';
      throw new ArgumentError(`The ${this.url.dialect} dialect has no flavor '${flavor}' (${known}); fix the URL's scheme or ?flavor=.`);
    }
    this.pooler = checkPoolerOption(options.pooler, this.url.dialect);
    const pluginOptions = { compiledCacheSize: options.compiledCacheSize, driverOptions: options.driverOptions, pooler: this.pooler };
    this.dialect = this.plugin.createDialect(this.url, pluginOptions);
    const driver = this.plugin.createDriver(this.url, this.dialect, pluginOptions);
    const forced = this.plugin.poolSizeFor?.(this.url);
    let versionRead = false;
    this.pool = new Pool(
      driver,
      {
        size: forced ?? options.poolSize ?? 5,
        maxOverflow: forced !== undefined ? 0 : (options.maxOverflow ?? 10),
        timeout: options.poolTimeout ?? 30_000,
        recycle: options.poolRecycle ?? -1,
        prePing: options.poolPrePing ?? false,
      },
      async (conn) => {
        if (!versionRead && driver.serverVersion) {
          this.dialect.serverVersion = await driver.serverVersion(conn);
          versionRead = true;
        }
        await this.plugin.onConnect?.(conn, this.dialect);
      },
      (e) => connectError(this.dialect, this.url, e),
      this.events,
    );
    this.observer = new Observer(this.events, options.echo, options.slowStatementMs);
    this.statementTimeout = options.statementTimeout;
    this.sqlComment = options.sqlComment;
    this.isolationLevel = options.isolationLevel;
    for (const [name, v] of [['slowStatementMs', options.slowStatementMs], ['statementTimeout', options.statementTimeout]] as const) {
      if (v !== undefined && !(v >= 0)) throw new ArgumentError(`${name} must be a number of milliseconds (0 or more); got ${String(v)}.`);
    }
    if (options.poolSize !== undefined && options.poolSize < 1) throw new ArgumentError('poolSize must be at least 1.');
    this.replicaSet = replicaSetFor(this, options);
    // A connection never used, kept for its shape: V8 drops a shape no live object has at a
    // full collection, and with it the optimized code of every statement path (connections
    // are made per checkout and all of them may be gone by then).
    this.idleConnection = new Connection(this, undefined as unknown as PoolEntry);
  }
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: never read; it is kept for its shape (see the constructor)
  private readonly idleConnection: Connection;

  /** The engines of the read replicas given with the `replicas` option (empty without). */
  get replicas(): readonly Engine[] {
    return this.replicaSet?.engines ?? [];
  }

  /** A connection for `fn`, returned to the pool afterwards; without `fn`, the caller closes it. */
  async connect(options?: ConnectOptions): Promise<Connection>;
  async connect<T>(fn: (conn: Connection) => Promise<T>, options?: ConnectOptions): Promise<T>;
  async connect<T>(a?: ((conn: Connection) => Promise<T>) | ConnectOptions, b?: ConnectOptions): Promise<T | Connection> {
    const fn = typeof a === 'function' ? a : undefined;
    const options = typeof a === 'function' ? b : a;
    const use = options?.use;
    if (options?.prefer !== undefined && use !== 'replica') throw new ArgumentError("connect(): prefer names the replica to try first, and goes with use: 'replica'.");
    if (use !== undefined) {
      if (use !== 'primary' && use !== 'replica') throw new ArgumentError(`connect(): use must be 'primary' or 'replica'; got ${JSON.stringify(use)}.`);
      if (use === 'replica') {
        if (this.replicaSet === undefined) throw new ArgumentError(`connect({ use: 'replica' }): this engine has no replicas; give them with createEngine(url, { replicas: [url, ...] }).`);
        if (!fn) throw new ArgumentError("connect({ use: 'replica' }) needs a callback, connect(fn, { use: 'replica' }): a replica that cannot answer is then replaced by another.");
        return this.replicaSet.run(fn, options?.prefer);
      }
    }
    const entry = await this.pool.acquire();
    const conn = new Connection(this, entry, use);
    if (!fn) return conn;
    try {
      return await fn(conn);
    } finally {
      await conn.close();
    }
  }

  /**
   * Listens to an engine or pool event (`connect`, `checkout`, `checkin`, `invalidate`,
   * `beforeExecute`, `afterExecute`, `handleError`); returns a function that removes the listener.
   */
  on<K extends EngineEventName>(name: K, listener: EngineListener<K>): () => void {
    this.events.on(name, listener);
    this.observer.refresh();
    return () => this.off(name, listener);
  }

  off<K extends EngineEventName>(name: K, listener: EngineListener<K>): void {
    this.events.off(name, listener);
    this.observer.refresh();
  }

  /** Runs `fn` in a transaction: commit on success, rollback on throw (the original error is rethrown). */
  async begin<T>(fn: (conn: Connection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (options.signal === undefined) return this.connect((conn) => conn.begin(fn, { isolationLevel: this.isolationLevel, ...options }));
    // An aborted signal also ends the wait for a pooled connection.
    const signal = options.signal;
    const entry = await this.pool.acquire(
      signal,
      () => new QueryCanceledError('The transaction was not begun: its AbortSignal was aborted while it waited for a pooled connection.', { reason: 'signal', cause: signal.reason }),
    );
    const conn = new Connection(this, entry);
    try {
      return await conn.begin(fn, { isolationLevel: this.isolationLevel, ...options });
    } finally {
      await conn.close();
    }
  }

  /**
   * Runs `fn` in a transaction, and runs it again, whole, in a new transaction when it fails
   * with a retryable error (`error.retryable`: serialization failure, deadlock, lock
   * timeout, lost connection), up to `retries` times (default 3) with exponential backoff.
   * `fn` must be safe to run more than once (no side effects outside the database, or
   * idempotent ones). A COMMIT whose outcome is unknown is never retried.
   */
  async transaction<T>(fn: (conn: Connection) => Promise<T>, options: TransactionOptions & RetryOptions = {}): Promise<T> {
    const { retries, backoff, onRetry, ...tx } = options;
    return withRetries(() => this.begin(fn, tx), { retries, backoff, onRetry }, tx.signal);
  }

  /** Closes every pooled connection (the replicas' too). Connections still checked out close when returned. */
  async dispose(): Promise<void> {
    await Promise.all([this.pool.dispose(), this.replicaSet?.dispose()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Used by `metadata.createAll(engine)`. */
  async runSchemaOperation(op: 'createAll' | 'dropAll', metadata: MetaData, options: { checkFirst?: boolean; tables?: Table<any, any>[] }): Promise<void> {
    await this.connect((conn) => conn.runSchemaOperation(op, metadata, options));
  }

  /** @internal Whether statements are timed and reported (echo, slow log, or statement listeners). */
  get echoing(): boolean {
    return this.observer.active;
  }
}

/** How `engine.connect()` routes on an engine with replicas. */
export interface ConnectOptions {
  /**
   * `'primary'`: every statement of the connection runs on the primary; `'replica'` (with a
   * callback): the connection is a replica's. Default: reads outside a transaction go to a
   * replica until the connection writes, everything else to the primary.
   */
  use?: Exclude<Routing, 'auto'>;
  /**
   * With `use: 'replica'`: the replica to try first (one of `engine.replicas`) when it is up
   * and not too far behind; else the policy chooses. A caller that reads several times (an
   * ORM session) passes the replica that answered before: with several replicas at
   * different points of replay, its reads then never go back in time.
   */
  prefer?: Engine;
}

/** The replica set of an engine given `replicas`; replica options without replicas are refused. */
function replicaSetFor(engine: Engine, options: EngineOptions): ReplicaSet | undefined {
  const { replicas, replicaPolicy, replicaRetryMs, maxReplicaLagMs, ...own } = options;
  if (replicas === undefined) {
    const stray = Object.entries({ replicaPolicy, replicaRetryMs, maxReplicaLagMs }).find(([, v]) => v !== undefined);
    if (stray) throw new ArgumentError(`${stray[0]} is an option of read replicas, and no replicas are given; add replicas: [url, ...] or leave it out.`);
    return undefined;
  }
  if (!Array.isArray(replicas) || replicas.length === 0) throw new ArgumentError('replicas must be a non-empty list of replica URLs.');
  return new ReplicaSet(engine, replicas, options, (url) => new Engine(url, own));
}

/** `createEngine('sqlite://')`, `createEngine('postgresql://user@host/db', { poolSize: 10 })`. */
export function createEngine(url: string, options: EngineOptions = {}): Engine {
  return new Engine(url, options);
}

/**
 * A connection that could not be opened is an `OperationalError` (as in SQLAlchemy), whatever
 * the driver threw: the message names the URL (password masked) and what to check.
 */
function connectError(dialect: Dialect, url: EngineURL, error: unknown): Error {
  // Athanor's own (a bad URL option...) and already-typed connection errors stand as they are.
  if (error instanceof OperationalError || (error instanceof AthanorError && !(error instanceof DBAPIError))) return error;
  const translated = dialect.translateError(error, {});
  const check =
    url.dialect === 'sqlite'
      ? 'Check that the file path is right and its directory exists and is writable.'
      : 'Check that the server is running and that the URL (host, port, database, user, password) is right.';
  return new OperationalError(`Could not connect to ${url.display}: ${translated.message} ${check}`, {
    cause: error,
    code: (translated as { code?: string }).code,
  });
}
