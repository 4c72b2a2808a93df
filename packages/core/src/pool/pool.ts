/**
 * A bounded connection pool, accounted as SQLAlchemy's QueuePool: `size` kept connections
 * plus `maxOverflow` extra ones, each occupying one slot. A slot is reserved before
 * connecting and released on any failure (a failed connect, pre-ping replacement or recycle
 * never loses it); a queued waiter is handed a slot (with or without a live connection)
 * directly, so `checkedOut` counts each checkout exactly once. A disconnect raises the pool's
 * invalidation generation: every connection opened before it is replaced at its next
 * checkout instead of failing a request. Pre-ping, recycle by age, and connections the
 * driver already knows are closed are checked at checkout.
 */
import { PoolTimeoutError, ResourceClosedError } from '../errors';
import type { Driver, DriverConnection } from '../dialect/driver';
import type { EngineEvents, EventEmitter } from '../engine/events';

/** The connection pool's settings as the engine resolves them: size, overflow, checkout timeout, recycle age and pre-ping. */
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

/** One pooled connection: what a checkout hands out and what `release`/`invalidate` take back. */
export interface PoolEntry {
  conn: DriverConnection;
  createdAt: number;
  /** The pool's invalidation generation when it was opened. */
  generation: number;
  /** Unique per connection, for events. */
  id: number;
}

/** A waiter is handed a slot: a live connection, or `null` (the slot is theirs to connect in). */
interface Waiter {
  resolve: (entry: PoolEntry | null) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

type InvalidateReason = EngineEvents['invalidate']['reason'];

/**
 * The engine's connection pool (`engine.pool`): `checkedOut`, `size` and `waiting` report its
 * state. The engine creates it from `poolSize`, `maxOverflow` and `poolTimeout`.
 */
export class Pool {
  private readonly idle: PoolEntry[] = [];
  private readonly waiters: Waiter[] = [];
  /** Slots taken: idle + checked out + connecting. */
  private open = 0;
  private disposed = false;
  /** Raised by a disconnect: connections of an older generation are replaced at checkout. */
  private generation = 0;
  private nextId = 0;
  /** Connections currently checked out. */
  checkedOut = 0;

  constructor(
    private readonly driver: Driver,
    readonly options: PoolOptions,
    private readonly onConnect?: (conn: DriverConnection) => Promise<void>,
    /** Turns a failure to open (or set up) a connection into the error the caller sees. */
    private readonly connectError: (error: unknown) => Error = (e) => e as Error,
    private readonly events?: EventEmitter,
  ) {}

  /** A connection; `signal` (a transaction's) stops waiting for one when it aborts (`canceled` makes the error). */
  async acquire(signal?: AbortSignal, canceled?: () => Error): Promise<PoolEntry> {
    if (this.disposed) throw new ResourceClosedError('This engine was disposed; create a new engine.');
    let entry: PoolEntry | null | undefined = this.idle.pop();
    if (entry === undefined) {
      if (this.open < this.options.size + this.options.maxOverflow) {
        this.open++;
        entry = null;
      } else {
        entry = await this.wait(signal, canceled);
      }
    }
    // From here this call owns one slot: it ends checked out, or the slot is freed.
    try {
      entry = entry === null ? await this.create() : await this.validate(entry);
    } catch (e) {
      this.freeSlot();
      throw e;
    }
    this.checkedOut++;
    if (this.events?.has('checkout')) this.events.emit('checkout', { connectionId: entry.id });
    return entry;
  }

  /** Returns a healthy connection to the pool (or to the first waiter). */
  release(entry: PoolEntry): void {
    this.checkedOut--;
    if (this.events?.has('checkin')) this.events.emit('checkin', { connectionId: entry.id });
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(entry);
      return;
    }
    if (entry.generation < this.generation) {
      // Opened before a disconnect: likely dead too, and not worth a ping.
      this.discard(entry, 'stale');
      this.freeSlot();
      return;
    }
    if (this.disposed || this.idle.length >= this.options.size) {
      this.open--;
      void entry.conn.close().catch(() => {});
      return;
    }
    this.idle.push(entry);
  }

  /**
   * Drops a checked-out connection that is unusable. A disconnect (`poolWide`) also marks
   * every connection opened before now as stale: the server likely dropped them too.
   */
  invalidate(entry: PoolEntry, reason: InvalidateReason = 'disconnect', error?: Error, poolWide = reason === 'disconnect'): void {
    this.checkedOut--;
    this.discard(entry, reason, error);
    if (poolWide && entry.generation === this.generation) this.invalidateOlder();
    this.freeSlot();
  }

  /**
   * Starts a new generation: idle connections opened before now are closed at once (their
   * slots freed), checked-out ones when they come back or are next checked out.
   */
  private invalidateOlder(): void {
    this.generation++;
    for (const old of this.idle.splice(0)) {
      this.discard(old, 'stale');
      this.freeSlot();
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

  /**
   * Connections open or opening (idle + checked out). An idle connection whose socket the
   * server closed (a killed backend) is no longer open: it is dropped first, so the count
   * matches the server's sessions without waiting for the next checkout to find it.
   */
  get size(): number {
    this.dropClosedIdle();
    return this.open;
  }

  /** Drops idle connections the server closed (`isClosed()`), freeing their slots. */
  private dropClosedIdle(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const entry = this.idle[i];
      if (entry.conn.isClosed?.() !== true) continue;
      this.idle.splice(i, 1);
      this.discard(entry, 'disconnect');
      this.freeSlot();
    }
  }

  /**
   * Idle connections kept for reuse. Like `size`, it first drops idle connections whose
   * socket the server closed: they cannot be reused, so counting them would overstate it.
   */
  get idleCount(): number {
    this.dropClosedIdle();
    return this.idle.length;
  }

  /** Callers queued for a connection. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** A slot became free: the first waiter gets it (to connect in), else it is given up. */
  private freeSlot(): void {
    const waiter = this.waiters.shift();
    if (waiter && !this.disposed) {
      clearTimeout(waiter.timer);
      waiter.resolve(null);
      return;
    }
    this.open--;
  }

  /** The entry, or a fresh connection in its slot when it is stale, too old, closed or fails its ping. */
  private async validate(entry: PoolEntry): Promise<PoolEntry> {
    let reason: InvalidateReason | undefined;
    let error: Error | undefined;
    if (entry.generation < this.generation) reason = 'stale';
    else if (entry.conn.isClosed?.() === true) reason = 'disconnect';
    else if (this.options.recycle >= 0 && Date.now() - entry.createdAt > this.options.recycle) reason = 'recycle';
    else if (this.options.prePing) {
      try {
        await entry.conn.ping();
        return entry;
      } catch (e) {
        reason = 'prePing';
        error = e as Error;
      }
    } else return entry;
    // A dead connection (closed by the server, failed ping) says the others may be dead too.
    this.discard(entry, reason, error);
    if ((reason === 'disconnect' || reason === 'prePing') && entry.generation === this.generation) this.invalidateOlder();
    return this.create();
  }

  private discard(entry: PoolEntry, reason: InvalidateReason, error?: Error): void {
    if (this.events?.has('invalidate')) this.events.emit('invalidate', { connectionId: entry.id, reason, error });
    void entry.conn.close().catch(() => {});
  }

  private async create(): Promise<PoolEntry> {
    const generation = this.generation;
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
    const entry = { conn, createdAt: Date.now(), generation, id: ++this.nextId };
    if (this.events?.has('connect')) this.events.emit('connect', { connectionId: entry.id });
    return entry;
  }

  private wait(signal?: AbortSignal, canceled?: () => Error): Promise<PoolEntry | null> {
    if (signal?.aborted) return Promise.reject(canceled?.() ?? signal.reason);
    return new Promise((resolve, reject) => {
      const leave = () => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
      };
      const onAbort = () => {
        clearTimeout(timer);
        leave();
        reject(canceled?.() ?? signal!.reason);
      };
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        leave();
        reject(
          new PoolTimeoutError(
            `No connection became free within ${this.options.timeout} ms (pool size ${this.options.size}, overflow ${this.options.maxOverflow}, all checked out). Release connections sooner, or raise poolSize / maxOverflow / poolTimeout.`,
          ),
        );
      }, this.options.timeout);
      this.waiters.push({ resolve: settle(resolve), reject: settle(reject), timer });
    });
  }
}
