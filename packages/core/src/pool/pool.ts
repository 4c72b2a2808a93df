/**
 * A bounded connection pool: `size` kept connections plus `maxOverflow` extra ones, FIFO
 * waiters with an acquire timeout, pre-ping, recycle by age, rollback on return (by the
 * Connection), and invalidation of dead connections. With size 1 and no overflow it
 * serialises all use of one connection (SQLite in memory).
 */
import { PoolTimeoutError, ResourceClosedError } from '../errors';
import type { Driver, DriverConnection } from '../dialect/driver';

export interface PoolOptions {
  size: number;
  maxOverflow: number;
  /** Milliseconds to wait for a free connection before `PoolTimeoutError`. */
  timeout: number;
  /** Close connections older than this many milliseconds at checkout (-1: never). */
  recycle: number;
  /** Ping each connection at checkout and replace it if dead. */
  prePing: boolean;
}

interface Entry {
  conn: DriverConnection;
  createdAt: number;
}

export class Pool {
  private readonly idle: Entry[] = [];
  private readonly waiters: { resolve: (e: Entry) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private open = 0;
  private disposed = false;
  /** Connections currently checked out. */
  checkedOut = 0;

  constructor(
    private readonly driver: Driver,
    readonly options: PoolOptions,
    private readonly onConnect?: (conn: DriverConnection) => Promise<void>,
    /** Turns a failure to open (or set up) a connection into the error the caller sees. */
    private readonly connectError: (error: unknown) => Error = (e) => e as Error,
  ) {}

  async acquire(): Promise<{ conn: DriverConnection; createdAt: number }> {
    if (this.disposed) throw new ResourceClosedError('This engine was disposed; create a new engine.');
    let entry = this.idle.pop();
    if (entry === undefined) {
      if (this.open < this.options.size + this.options.maxOverflow) {
        this.open++;
        try {
          entry = await this.create();
        } catch (e) {
          this.open--;
          throw e;
        }
      } else {
        entry = await this.wait();
      }
    }
    if (this.options.recycle >= 0 && Date.now() - entry.createdAt > this.options.recycle) {
      await entry.conn.close().catch(() => {});
      entry = await this.create();
    } else if (this.options.prePing) {
      try {
        await entry.conn.ping();
      } catch {
        await entry.conn.close().catch(() => {});
        entry = await this.create();
      }
    }
    this.checkedOut++;
    return entry;
  }

  /** Returns a healthy connection to the pool. */
  release(entry: { conn: DriverConnection; createdAt: number }): void {
    this.checkedOut--;
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.checkedOut++;
      waiter.resolve(entry);
      return;
    }
    if (this.disposed || this.idle.length >= this.options.size) {
      this.open--;
      void entry.conn.close().catch(() => {});
      return;
    }
    this.idle.push(entry);
  }

  /** Drops a broken connection; a waiter gets a fresh one. */
  invalidate(entry: { conn: DriverConnection }): void {
    this.checkedOut--;
    this.open--;
    void entry.conn.close().catch(() => {});
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.open++;
      this.create().then(
        (e) => {
          this.checkedOut++;
          waiter.resolve(e);
        },
        (err) => {
          this.open--;
          waiter.reject(err);
        },
      );
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new ResourceClosedError('The engine was disposed while waiting for a connection.'));
    }
    const idle = this.idle.splice(0);
    this.open -= idle.length;
    await Promise.all(idle.map((e) => e.conn.close().catch(() => {})));
  }

  /** Connections open (idle + checked out). */
  get size(): number {
    return this.open;
  }

  private async create(): Promise<Entry> {
    let conn: DriverConnection;
    try {
      conn = await this.driver.connect();
    } catch (e) {
      throw this.connectError(e);
    }
    if (this.onConnect) {
      try {
        await this.onConnect(conn);
      } catch (e) {
        // Half set up: close it rather than hand it out or leak it.
        await conn.close().catch(() => {});
        throw this.connectError(e);
      }
    }
    return { conn, createdAt: Date.now() };
  }

  private wait(): Promise<Entry> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(
          new PoolTimeoutError(
            `No connection became free within ${this.options.timeout} ms (pool size ${this.options.size}, overflow ${this.options.maxOverflow}, all checked out). Release connections sooner, or raise poolSize / maxOverflow / poolTimeout.`,
          ),
        );
      }, this.options.timeout);
      this.waiters.push({ resolve, reject, timer });
    });
  }
}
