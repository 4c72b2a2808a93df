import { createHash } from 'node:crypto';
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

function statementName(sql: string): string {
  return `ath_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
}

/** After DDL changed a table's column types, a prepared SELECT of it fails with this until prepared again. */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

export class PgConnection implements DriverConnection {
  private cursorCounter = 0;
  /** Prepared-statement names by SQL: hashing the SQL on every execution costs more than the lookup. */
  private readonly names = new Map<string, string>();
  private renames = 0;
  constructor(readonly client: pg.Client) {}

  async query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<DriverResult> {
    const config: pg.QueryArrayConfig = { text: sql, values: params as any[], rowMode: 'array', types: TYPES };
    const key = options.prepareName;
    if (key !== undefined) {
      let name = this.names.get(key);
      if (name === undefined) this.names.set(key, (name = statementName(key)));
      config.name = name;
    }
    let res: pg.QueryArrayResult;
    try {
      res = await this.client.query(config);
    } catch (e) {
      if (key === undefined || !isStalePlan(e)) throw e;
      // Prepare again under a new name (the stale one stays with the session: it cannot be
      // deallocated inside a failed transaction). Outside a transaction nothing ran: retry now.
      config.name = `${statementName(key)}_${++this.renames}`;
      this.names.set(key, config.name);
      if (this.inTransaction()) throw e;
      res = await this.client.query(config);
    }
    if (res.command === 'ROLLBACK' && /^\s*COMMIT\b/i.test(sql)) {
      throw new CommitRolledBack('COMMIT was answered with ROLLBACK: the transaction had failed and was rolled back.');
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

  isDisconnect(error: unknown): boolean {
    return isDisconnectError(error);
  }
}

export class PgDriver implements Driver {
  constructor(private readonly config: pg.ClientConfig) {}

  async connect(): Promise<DriverConnection> {
    const client = new pg.Client(this.config);
    // An idle connection's error (server restart) must not crash the process; the next query fails instead.
    client.on('error', () => undefined);
    await client.connect();
    return new PgConnection(client);
  }

  async serverVersion(conn: DriverConnection): Promise<number[]> {
    const res = await conn.query('SHOW server_version_num', [], { returnsRows: true, rowMode: 'array' });
    const n = Number(res.rows[0]?.[0]);
    if (n >= 100000) return [Math.floor(n / 10000), n % 10000];
    return [Math.floor(n / 10000), Math.floor((n % 10000) / 100), n % 100];
  }
}
