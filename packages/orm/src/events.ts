/**
 * ORM events (SQLAlchemy's session and mapper events), typed. Listeners are synchronous,
 * as SQLAlchemy's are: they run inside the flush or the transaction's end and may change
 * objects or add and delete them (in `beforeFlush`), but not await the session.
 *
 *   listen(session, 'afterCommit', (s) => ...)      one session
 *   listen(Session, 'beforeFlush', (s) => ...)      every session
 *   listen(User, 'beforeUpdate', (user) => ...)     every User row the flush writes
 */
import { ArgumentError, type Connection } from '@athanor/core';
import { type Listeners, listenersOf } from './listeners';
import { mapperOf } from './mapper';
import type { Session } from './session/session';
import type { AnyMappedClass } from './types';

/** The events `session.on()` takes and each listener's signature: flushes, commits, rollbacks. */
export interface SessionEventMap {
  /** Before the flush collects its work: objects may still be changed, added or deleted. */
  beforeFlush: (session: Session) => void;
  /** After every statement of a flush ran, before its state is finalised. */
  afterFlush: (session: Session) => void;
  /** A flush failed (its transaction is rolled back next); `error` is what flush() rejects with. */
  flushFailed: (session: Session, error: unknown) => void;
  afterCommit: (session: Session) => void;
  afterRollback: (session: Session) => void;
}

/** The events `on(MappedClass, ...)` takes and each listener's signature: before and after each INSERT, UPDATE and DELETE of an object. */
export interface MapperEventMap<T> {
  beforeInsert: (obj: T, connection: Connection) => void;
  afterInsert: (obj: T, connection: Connection) => void;
  beforeUpdate: (obj: T, connection: Connection) => void;
  afterUpdate: (obj: T, connection: Connection) => void;
  beforeDelete: (obj: T, connection: Connection) => void;
  afterDelete: (obj: T, connection: Connection) => void;
  /** An object was made from a row for the first time. */
  load: (obj: T) => void;
  /** A query or refresh() overwrote a loaded object's attributes from its row. */
  refresh: (obj: T, attributes: readonly string[] | undefined) => void;
}

/** The session events, in the order a session can fire them. */
export const SESSION_EVENTS = ['beforeFlush', 'afterFlush', 'flushFailed', 'afterCommit', 'afterRollback'] as const;
const MAPPER_EVENTS = ['beforeInsert', 'afterInsert', 'beforeUpdate', 'afterUpdate', 'beforeDelete', 'afterDelete', 'load', 'refresh'];


type SessionTarget = { readonly [listenersOf]: Listeners };

/** Adds a listener for a session or mapper event (`afterCommit`, `beforeFlush`, …). */
export function listen<E extends keyof SessionEventMap>(target: SessionTarget, event: E, fn: SessionEventMap[E]): void;
export function listen<C extends AnyMappedClass, E extends keyof MapperEventMap<InstanceType<C>>>(target: C, event: E, fn: MapperEventMap<InstanceType<C>>[E]): void;
export function listen(target: unknown, event: string, fn: (...args: any[]) => void): void {
  listenersFor(target, event).add(event, fn);
}

/** Removes a listener added with `listen()`. */
export function removeListener<E extends keyof SessionEventMap>(target: SessionTarget, event: E, fn: SessionEventMap[E]): void;
export function removeListener<C extends AnyMappedClass, E extends keyof MapperEventMap<InstanceType<C>>>(target: C, event: E, fn: MapperEventMap<InstanceType<C>>[E]): void;
export function removeListener(target: unknown, event: string, fn: (...args: any[]) => void): void {
  listenersFor(target, event).remove(event, fn);
}

function listenersFor(target: unknown, event: string): Listeners {
  if (typeof listenersOn(target) === 'object') {
    if (!(SESSION_EVENTS as readonly string[]).includes(event)) throw new ArgumentError(`listen(): unknown session event '${event}'; the session events are ${SESSION_EVENTS.join(', ')}.`);
    return (target as SessionTarget)[listenersOf];
  }
  if (typeof target === 'function' && 'table' in target) {
    if (!MAPPER_EVENTS.includes(event)) throw new ArgumentError(`listen(): unknown mapper event '${event}'; the mapper events are ${MAPPER_EVENTS.join(', ')}.`);
    return mapperOf(target as unknown as AnyMappedClass).listeners;
  }
  throw new ArgumentError('listen(): the target is a Session, the Session class, a sessionmaker() factory or a mapped class.');
}

/** The listeners a session, the Session class or a factory keeps, if `target` is one. */
function listenersOn(target: unknown): unknown {
  return (typeof target === 'object' || typeof target === 'function') && target !== null ? (target as Partial<SessionTarget>)[listenersOf] : undefined;
}
