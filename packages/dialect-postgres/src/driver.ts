import type { Driver, DriverConnection, DriverResult, QueryOptions } from '@athanor/core';
import pg from 'pg';
import { CommitRolledBack, isDisconnectError } from './dialect';
import { parseTimestampUTC } from './timestamp';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const JSON_OID = 114;
const JSONB = 3802;
const BYTEA = 17;

const identity = (v: string) => v;

/** Per-query type parsers (never the process-global pg.types registry). */
export function getTypeParser(oid: number, format?: string): (value: any) => any {
  if (format === 'binary') return pg.types.getTypeParser(oid as any, 'binary' as any);
  switch (oid) {
    case INT8:
      return (v: string) => BigInt(v);
    case NUMERIC:
    case DATE:
      return identity;
    case TIMESTAMP:
      return parseTimestampUTC;
    case TIMESTAMPTZ:
      return pg.types.getTypeParser(TIMESTAMPTZ as any, 'text');
    case JSON_OID:
    case JSONB:
      return (v: string) => JSON.parse(v);
    case BYTEA:
      return pg.types.getTypeParser(BYTEA as any, 'text');
    default:
      return pg.types.getTypeParser(oid as any, 'text');
  }
}

const TYPES = { getTypeParser } as any;

/** After DDL changed a table's column types, a prepared SELECT of it fails with this until prepared again. */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

/** Server-side prepared statements kept per connection by default (`prepared_statement_cache_size`). */
export const DEFAULT_PREPARED_STATEMENTS = 500;

export class PgConnection implements DriverConnection {
  private cursorCounter = 0;
  /**
   * Prepared-statement names by SQL, least recently used first. Past `maxPrepared` the
   * oldest is dropped and deallocated on the server: an application that compiles many
   * distinct statements would otherwise keep every one of them for the connection's life.
   */
  private readonly names = new Map<string, string>();
  private nameCounter = 0;
  /** Names dropped from `names`, deallocated when the session is next idle. */
  private readonly unused: string[] = [];

  /** Set when the socket ended (the server terminated the backend, or it closed). */
  private ended = false;

  constructor(
    readonly client: pg.Client,
    private readonly maxPrepared: number = DEFAULT_PREPARED_STATEMENTS,
    /** For the side connection that sends the cancel. */
    private readonly config?: pg.ClientConfig,
  ) {
    // An idle connection's error (server restart, pg_terminate_backend) must not crash the
    // process; the pool sees `isClosed()` at the next checkout and replaces it.
    client.on('error', () => {
      this.ended = true;
    });
    client.on('end', () => {
      this.ended = true;
    });
  }

  /** How many statements this connection keeps prepared (for tests and diagnostics). */
  get preparedCount(): number {
    return this.names.size;
  }

  async query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
    if (this.unused.length !== 0 && !this.inTransaction()) await this.deallocateUnused();
    const config: pg.QueryArrayConfig = { text: sql, values: params as any[], rowMode: 'array', types: TYPES };
    const key = this.maxPrepared > 0 ? options.prepareName : undefined;
    if (key !== undefined) config.name = this.preparedName(key);
    let res: pg.QueryArrayResult;
    try {
      res = await this.client.query(config);
    } catch (e) {
      if (key === undefined || !isStalePlan(e)) throw e;
      // Prepare again under a new name (the stale one is deallocated once the session is idle:
      // not inside a failed transaction). Outside a transaction nothing ran: retry now.
      this.retire(key);
      config.name = this.preparedName(key);
      if (this.inTransaction()) throw e;
      res = await this.client.query(config);
    }
    if (res.command === 'ROLLBACK' && /^\s*COMMIT\b/i.test(sql)) {
      throw new CommitRolledBack('COMMIT was answered with ROLLBACK: the transaction had failed and was rolled back.');
    }
    if (options.wantsInsertId === true && !options.returnsRows) {
      // An INSERT the compiler gave an implicit `RETURNING pk`: the value is the insert id, not a row.
      const first = res.rows?.[0];
      return { rows: [], rowsAffected: res.rowCount ?? 0, insertId: first === undefined ? undefined : (first[0] as number | bigint | undefined) ?? undefined };
    }
    return {
      rows: (res.rows ?? []) as unknown[][],
      columnNames: res.fields?.map((f) => f.name),
      rowsAffected: res.rowCount ?? 0,
    };
  }

  async *stream(sql: string, params: readonly unknown[], options: { chunkSize: number }): AsyncIterable<unknown[][]> {
    const chunk = Math.max(1, Math.floor(options.chunkSize));
    const ownTx = !this.inTransaction();
    const cursor = `athanor_cursor_${++this.cursorCounter}`;
    if (ownTx) await this.client.query('BEGIN');
    let declared = false;
    try {
      await this.client.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, values: params as any[], types: TYPES });
      declared = true;
      for (;;) {
        const res = await this.client.query({ text: `FETCH ${chunk} FROM ${cursor}`, rowMode: 'array', types: TYPES });
        if (res.rows.length) yield res.rows as unknown[][];
        if (res.rows.length < chunk) break;
      }
      declared = false;
      await this.client.query(`CLOSE ${cursor}`);
      if (ownTx) await this.client.query('COMMIT');
    } catch (e) {
      if (ownTx) await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      // Early exit from the consumer (break): close the cursor and end our transaction.
      if (declared) {
        if (ownTx) await this.client.query('ROLLBACK').catch(() => undefined);
        else await this.client.query(`CLOSE ${cursor}`).catch(() => undefined);
      }
    }
  }

  /** The name `sql` is prepared under on this connection (made the most recently used). */
  private preparedName(sql: string): string {
    const known = this.names.get(sql);
    if (known !== undefined) {
      this.names.delete(sql);
      this.names.set(sql, known);
      return known;
    }
    const name = `ath_${++this.nameCounter}`;
    this.names.set(sql, name);
    if (this.names.size > this.maxPrepared) this.retire(this.names.keys().next().value as string);
    return name;
  }

  private retire(sql: string): void {
    const name = this.names.get(sql);
    if (name === undefined) return;
    this.names.delete(sql);
    this.unused.push(name);
  }

  /**
   * Deallocates retired statements, outside any transaction (a failing DEALLOCATE must not
   * abort one). pg remembers which names it prepared (`parsedStatements`): those are the
   * ones to deallocate, and pg must forget them, or it would execute the name unprepared.
   */
  private async deallocateUnused(): Promise<void> {
    const names = this.unused.splice(0);
    const parsed: Record<string, string> | undefined = (this.client as any).connection?.parsedStatements;
    const prepared = parsed ? names.filter((n) => parsed[n] !== undefined) : names;
    if (parsed) for (const n of prepared) delete parsed[n];
    if (prepared.length === 0) return;
    try {
      await this.client.query(prepared.map((n) => `DEALLOCATE ${n}`).join('; '));
    } catch {
      // A name the server does not have (its PREPARE failed): nothing left to free.
    }
  }

  private inTransaction(): boolean {
    // pg tracks the server's ReadyForQuery status: 'I' idle, 'T' in transaction, 'E' failed.
    const status = (this.client as any)._txStatus ?? (this.client as any).connection?._txStatus;
    return status === 'T' || status === 'E';
  }

  async ping(): Promise<void> {
    await this.client.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  isClosed(): boolean {
    return this.ended;
  }

  /**
   * `pg_cancel_backend(pid)` from a short-lived second connection (pg has no public API for
   * the protocol's cancel request): the running statement fails with 57014; the session stays.
   */
  async cancel(): Promise<void> {
    const pid = (this.client as any).processID as number | undefined;
    if (this.config === undefined || pid == null) return;
    const canceler = new pg.Client({ ...this.config, connectionTimeoutMillis: 5000 });
    canceler.on('error', () => undefined);
    try {
      await canceler.connect();
      await canceler.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await canceler.end().catch(() => undefined);
    }
  }

  isDisconnect(error: unknown): boolean {
    return isDisconnectError(error);
  }
}

export class PgDriver implements Driver {
  constructor(
    private readonly config: pg.ClientConfig,
    private readonly maxPrepared: number = DEFAULT_PREPARED_STATEMENTS,
  ) {}

  async connect(): Promise<DriverConnection> {
    const client = new pg.Client(this.config);
    // Until PgConnection listens: a failed connect must not also raise an unhandled 'error'.
    client.on('error', () => undefined);
    await client.connect();
    return new PgConnection(client, this.maxPrepared, this.config);
  }

  async serverVersion(conn: DriverConnection): Promise<number[]> {
    const res = await conn.query('SHOW server_version_num', [], { returnsRows: true, rowMode: 'array' });
    const n = Number(res.rows[0]?.[0]);
    if (n >= 100000) return [Math.floor(n / 10000), n % 10000];
    return [Math.floor(n / 10000), Math.floor((n % 10000) / 100), n % 100];
  }
}
