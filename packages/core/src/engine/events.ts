/**
 * Typed events of an engine and its pool (SQLAlchemy's `PoolEvents` and `ConnectionEvents`):
 * `engine.on('afterExecute', (e) => ...)`. Listeners run synchronously, in registration
 * order; a listener that throws does not break the statement (its error is reported on
 * `console.error`). With no listener for an event the engine does no work for it: callers
 * check `emitter.has(name)` before building the payload.
 */

/** What a statement event tells. */
export interface StatementEvent {
  sql: string;
  params: readonly unknown[];
  /** The pooled connection's id (stable for its life), for correlating events. */
  connectionId: number;
}

/** The events `engine.on()` takes and each one's payload: connects, checkouts, statements, errors, invalidations. */
export interface EngineEvents {
  /** A new connection was opened and set up. */
  connect: { connectionId: number };
  /** A connection was handed out by the pool. */
  checkout: { connectionId: number };
  /** A connection came back to the pool (healthy). */
  checkin: { connectionId: number };
  /**
   * A connection was dropped as unusable: `error` is what showed it (a disconnect, a failed
   * pre-ping or rollback), absent for age (recycle) or pool-wide invalidation.
   */
  invalidate: { connectionId: number; reason: 'disconnect' | 'prePing' | 'recycle' | 'stale' | 'rollbackFailed' | 'canceled'; error?: Error };
  /** Before a statement is sent. */
  beforeExecute: StatementEvent;
  /** After a statement succeeded: how long it took and how many rows it returned or changed. */
  afterExecute: StatementEvent & { durationMs: number; rowCount: number };
  /** A statement failed (the error as raised to the caller, already typed). */
  handleError: StatementEvent & { durationMs: number; error: Error };
}

/** The name of an engine event: `'connect'`, `'checkout'`, `'beforeExecute'`, `'handleError'`… */
export type EngineEventName = keyof EngineEvents;
/** A listener of engine event `K`, given that event’s payload. */
export type EngineListener<K extends EngineEventName> = (event: EngineEvents[K]) => void;

/** Per-event listener lists; `has()` is a property read, so unobserved events cost nothing. */
export class EventEmitter {
  private readonly listeners: { [K in EngineEventName]?: EngineListener<K>[] } = {};

  on<K extends EngineEventName>(name: K, listener: EngineListener<K>): () => void {
    const list = (this.listeners[name] ??= []) as EngineListener<K>[];
    list.push(listener);
    return () => this.off(name, listener);
  }

  off<K extends EngineEventName>(name: K, listener: EngineListener<K>): void {
    const list = this.listeners[name] as EngineListener<K>[] | undefined;
    if (!list) return;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) delete this.listeners[name];
  }

  has(name: EngineEventName): boolean {
    return this.listeners[name] !== undefined;
  }

  emit<K extends EngineEventName>(name: K, event: EngineEvents[K]): void {
    const list = this.listeners[name] as EngineListener<K>[] | undefined;
    if (!list) return;
    for (const listener of list.slice()) {
      try {
        listener(event);
      } catch (e) {
        console.error(`athanor: a '${name}' listener threw; the statement is unaffected.`, e);
      }
    }
  }
}
