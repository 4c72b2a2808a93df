import type { Driver, DriverConnection, DriverResult, EngineURL, QueryOptions } from '@athanor/core';
import { type Connection as PromiseConnection, type ConnectionOptions, createConnection } from 'mysql2/promise';
import { DISCONNECT_CODES, DISCONNECT_ERRNO, type MySQLDialect } from './dialect';

/** Values the text protocol's escaping does not know: bigint, plain Uint8Array, undefined. */
function toDriverValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

/** The parameters as mysql2 takes them; the same array when no value needs converting (the usual case). */
function driverValues(params: readonly unknown[]): unknown[] {
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (v === undefined || typeof v === 'bigint' || (v instanceof Uint8Array && !Buffer.isBuffer(v))) return params.map(toDriverValue);
  }
  return params as unknown[];
}

function toInsertId(id: unknown): number | bigint | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'number') return id > 0 ? id : undefined;
  const b = BigInt(id as string);
  if (b === 0n) return undefined;
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** mysql2 connection settings for an engine URL (`?ssl=...` and other query options pass through driverOptions). */
export function connectionOptions(url: EngineURL, driverOptions: Record<string, unknown> = {}): ConnectionOptions {
  return {
    host: url.host ?? '127.0.0.1',
    port: url.port ?? 3306,
    user: url.username,
    password: url.password,
    database: url.database,
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    // Row counts for UPDATE are rows matched, not rows changed (like the other dialects).
    flags: ['FOUND_ROWS'],
    multipleStatements: false,
    // JSON arrives as text on both MySQL and MariaDB; the JSON result processor parses it. (An
    // option, not a typeCast function: that would be called for every value of every row.)
    jsonStrings: true,
    // Error stacks come from the engine's own errors (async stack traces); capturing one per call costs.
    trace: false,
    ...driverOptions,
    // The engine reads rows as arrays; no per-query override needed.
    rowsAsArray: true,
    // Date parameters are sent as UTC wall-clock time (the dialect's DATETIME convention).
    timezone: 'Z',
  } as ConnectionOptions;
}

type Field = { name: string; columnType?: number };

/** mysql2's code for a BIGINT result column. */
const LONGLONG = 8;

function toDriverResult(res: unknown, fields: Field[] | undefined, rawShape: boolean): DriverResult {
  if (Array.isArray(res)) {
    if (rawShape && fields !== undefined) exactBigInts(res as unknown[][], fields);
    return { rows: res as unknown[][], columnNames: fields?.map((f) => f.name), rowsAffected: res.length };
  }
  const header = res as any;
  return { rows: [], rowsAffected: Number(header.affectedRows ?? 0), insertId: toInsertId(header.insertId) };
}

/**
 * Rows of raw SQL (no column types known to the engine): a BIGINT beyond 2^53 arrives as a
 * string (supportBigNumbers); make it a bigint, as SQLite and PostgreSQL return it.
 */
function exactBigInts(rows: unknown[][], fields: Field[]): void {
  for (let c = 0; c < fields.length; c++) {
    if (fields[c].columnType !== LONGLONG) continue;
    for (const row of rows) if (typeof row[c] === 'string') row[c] = BigInt(row[c] as string);
  }
}

export class MySQLConnection implements DriverConnection {
  /** Set when the socket ended or failed (the server killed the connection, or it closed). */
  private ended = false;

  constructor(
    readonly raw: PromiseConnection,
    /** For the side connection that sends `KILL QUERY`. */
    private readonly options?: ConnectionOptions,
  ) {
    const conn = (raw as any).connection;
    // A connection that dies while idle in the pool must not crash the process; the pool
    // sees `isClosed()` at the next checkout and replaces it without a failed request.
    conn?.on?.('error', () => {
      this.ended = true;
    });
    conn?.on?.('end', () => {
      this.ended = true;
    });
  }

  query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
    // The callback API under mysql2/promise: its wrapper adds an options object spread and a
    // promise per call, and rowsAsArray is already the connection's setting.
    const conn = (this.raw as any).connection;
    const values = params.length ? driverValues(params) : undefined;
    return new Promise((resolve, reject) => {
      const done = (error: unknown, res: unknown, fields: Field[] | undefined) => {
        if (error) reject(error);
        else resolve(toDriverResult(res, fields, !options.returnsRows));
      };
      // Engine statements (prepareName set) run as server-side prepared statements, which mysql2
      // caches per connection by SQL text: no re-parse, and no client-side escaping of values.
      if (options.prepareName !== undefined && values !== undefined) conn.execute(sql, values, done);
      else conn.query(sql, values, done);
    });
  }

  async executeMany(sql: string, paramSets: readonly (readonly unknown[])[]): Promise<{ rowsAffected: number }> {
    let rowsAffected = 0;
    for (const params of paramSets) rowsAffected += (await this.query(sql, params, { returnsRows: false, rowMode: 'array' })).rowsAffected;
    return { rowsAffected };
  }

  /**
   * Streams through the callback API's query events, pausing the socket between chunks. A
   * connection lost mid-stream is reported on the connection, not the query (mysql2 passes
   * it to commands with a callback only): the stream listens there too, and ends with that
   * error instead of waiting for rows that never come.
   */
  async *stream(sql: string, params: readonly unknown[], options: { chunkSize: number }): AsyncIterable<unknown[][]> {
    const conn = (this.raw as any).connection;
    const values = params.length ? driverValues(params) : undefined;
    let buffer: unknown[][] = [];
    let done = false;
    let failure: unknown;
    let draining = false;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const fail = (e: unknown) => {
      if (done) return;
      failure = e;
      done = true;
      notify();
    };
    const lost = () => {
      const e: any = new Error('Connection lost: the server closed the connection during a streamed query.');
      e.code = 'PROTOCOL_CONNECTION_LOST';
      e.fatal = true;
      fail(e);
    };
    conn.on('error', fail);
    conn.on('end', lost);
    const q = conn.query({ sql, rowsAsArray: true, values });
    q.on('result', (row: unknown) => {
      if (draining || !Array.isArray(row)) return;
      buffer.push(row);
      if (buffer.length >= options.chunkSize) {
        conn.pause();
        notify();
      }
    });
    q.on('error', fail);
    q.on('end', () => {
      done = true;
      notify();
    });
    try {
      while (true) {
        if (failure) throw failure;
        if (buffer.length >= options.chunkSize || (done && buffer.length)) {
          const chunk = buffer;
          buffer = [];
          conn.resume();
          yield chunk;
          continue;
        }
        if (done) return;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    } finally {
      if (!done) {
        // Stopped early: discard the remaining rows so the connection is usable again.
        draining = true;
        buffer = [];
        await new Promise<void>((r) => {
          if (done) return r();
          wake = r;
          conn.resume();
        });
      }
      conn.off('error', fail);
      conn.off('end', lost);
    }
  }

  async ping(): Promise<void> {
    await this.raw.ping();
  }

  async close(): Promise<void> {
    try {
      await this.raw.end();
    } catch {
      this.raw.destroy();
    }
  }

  isClosed(): boolean {
    return this.ended;
  }

  /** `KILL QUERY <thread id>` from a short-lived second connection: the statement fails with 1317, the connection stays. */
  async cancel(): Promise<void> {
    const threadId = this.raw.threadId;
    if (this.options === undefined || threadId == null) return;
    const killer = await createConnection({ ...this.options, connectTimeout: 5000 });
    try {
      await killer.query(`KILL QUERY ${Number(threadId)}`);
    } finally {
      await killer.end().catch(() => killer.destroy());
    }
  }

  isDisconnect(error: unknown): boolean {
    const e = error as any;
    return !!e && (e.fatal === true || DISCONNECT_CODES.has(e.code) || DISCONNECT_ERRNO.has(e.errno));
  }
}

/** One mysql2 connection per pool slot; no process-global state. */
export class MySQLDriver implements Driver {
  constructor(
    readonly options: ConnectionOptions,
    readonly dialect: MySQLDialect,
  ) {}

  async connect(): Promise<DriverConnection> {
    const raw = await createConnection(this.options);
    return new MySQLConnection(raw, this.options);
  }

  /** `SELECT VERSION()`: `'8.0.36'` or `'10.11.6-MariaDB-...'`; marks the dialect as MariaDB. */
  async serverVersion(conn: DriverConnection): Promise<number[]> {
    const { rows } = await conn.query('SELECT VERSION()', [], { returnsRows: true, rowMode: 'array' });
    const text = String(rows[0]?.[0] ?? '');
    this.dialect.isMariaDB = /mariadb/i.test(text);
    return parseVersion(text);
  }
}

/** `[major, minor, patch]` from a server version string (`'10.11.6-MariaDB-log'`); empty when it has none. */
export function parseVersion(text: string): number[] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
}
