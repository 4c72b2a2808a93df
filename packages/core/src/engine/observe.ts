/**
 * What the engine reports about its statements: the echo log (levels and structured
 * records), the slow-statement log, and the beforeExecute/afterExecute/handleError events.
 * `active` is false when none of them is wanted: the connection then times nothing and
 * builds no record (the synchronous SQLite path stays synchronous).
 */
import type { EngineEventName, EventEmitter } from './events';

/** One echo record: what the line says, as data. */
export interface EchoRecord {
  /** 'info': a statement; 'debug': pool activity (with `echo: 'debug'`); 'warn': a slow statement. */
  level: 'info' | 'debug' | 'warn';
  /** The text line (as printed). */
  message: string;
  sql?: string;
  params?: readonly unknown[];
  durationMs?: number;
  rowCount?: number;
  connectionId?: number;
  error?: Error;
}

/** A function `echo` hands each logged statement to: the formatted line and the structured record (SQL, parameters, timing). */
export type EchoLogger = (line: string, record: EchoRecord) => void;

/**
 * `true`: statements to console.log; `'debug'`: also pool checkouts, checkins, connects and
 * invalidations; a function: statements handed to it (line and record); `{ level, log }`: both.
 */
export type EchoOption = boolean | 'debug' | EchoLogger | { level?: 'info' | 'debug'; log?: EchoLogger };

const STATEMENT_EVENTS: EngineEventName[] = ['beforeExecute', 'afterExecute', 'handleError'];
const POOL_EVENTS = ['connect', 'checkout', 'checkin', 'invalidate'] as const;

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

export class Observer {
  private readonly echo: EchoLogger | undefined;
  /** Whether anything wants statement reports (recomputed when listeners change). */
  active = false;

  constructor(
    private readonly events: EventEmitter,
    echo: EchoOption | undefined,
    /** Statements at least this slow are logged as warnings (console.warn, or the echo function). */
    private readonly slowMs: number | undefined,
  ) {
    const console_: EchoLogger = (line, record) => (record.level === 'warn' ? console.warn(line) : console.log(line));
    const level = echo === 'debug' || (typeof echo === 'object' && echo.level === 'debug') ? 'debug' : 'info';
    this.echo = typeof echo === 'function' ? echo : typeof echo === 'object' ? (echo.log ?? console_) : echo ? console_ : undefined;
    if (this.echo !== undefined && level === 'debug') {
      for (const name of POOL_EVENTS) {
        events.on(name, (e) => this.echo!(`[pool] ${name} connection #${e.connectionId}${'reason' in e ? ` (${e.reason})` : ''}`, { level: 'debug', message: name, connectionId: e.connectionId, error: 'error' in e ? e.error : undefined }));
      }
    }
    this.refresh();
  }

  /** Call after listeners were added or removed. */
  refresh(): void {
    this.active = this.echo !== undefined || this.slowMs !== undefined || STATEMENT_EVENTS.some((n) => this.events.has(n));
  }

  /** Before a statement: emits beforeExecute; returns the start time. */
  before(sql: string, params: readonly unknown[], connectionId: number): number {
    if (this.events.has('beforeExecute')) this.events.emit('beforeExecute', { sql, params, connectionId });
    return performance.now();
  }

  after(sql: string, params: readonly unknown[], connectionId: number, started: number, rowCount: number): void {
    const durationMs = performance.now() - started;
    if (this.echo !== undefined) this.write('info', sql, params, durationMs, { rowCount, connectionId });
    if (this.slowMs !== undefined && durationMs >= this.slowMs) this.slow(sql, params, durationMs, connectionId);
    if (this.events.has('afterExecute')) this.events.emit('afterExecute', { sql, params, connectionId, durationMs, rowCount });
  }

  failed(sql: string, params: readonly unknown[], connectionId: number, started: number, error: Error): void {
    const durationMs = performance.now() - started;
    if (this.echo !== undefined) this.write('info', sql, params, durationMs, { connectionId, error });
    if (this.events.has('handleError')) this.events.emit('handleError', { sql, params, connectionId, durationMs, error });
  }

  /** A statement line without timing (streams log when they start). */
  started(sql: string, params: readonly unknown[], connectionId: number): void {
    if (this.echo !== undefined) this.echo(`${sql}${paramsText(params)}`, { level: 'info', message: sql, sql, params, connectionId });
  }

  private slow(sql: string, params: readonly unknown[], durationMs: number, connectionId: number): void {
    const line = `[slow statement: ${durationMs.toFixed(2)} ms >= ${this.slowMs} ms] ${sql}${paramsText(params)}`;
    const record: EchoRecord = { level: 'warn', message: line, sql, params, durationMs, connectionId };
    if (this.echo !== undefined) this.echo(line, record);
    else console.warn(line);
  }

  private write(level: 'info', sql: string, params: readonly unknown[], durationMs: number, extra: { rowCount?: number; connectionId: number; error?: Error }): void {
    const timing = ` [${extra.error ? 'failed after ' : ''}${durationMs.toFixed(2)} ms]`;
    const line = `${sql}${paramsText(params)}${timing}`;
    this.echo!(line, { level, message: line, sql, params, durationMs, ...extra });
  }
}

function paramsText(params: readonly unknown[]): string {
  return params.length ? ` -- ${json(params)}` : '';
}
