/**
 * @athanor/opentelemetry/orm — a span per ORM flush, for applications that use @athanor/orm.
 * A separate entry point so that the main one never loads the ORM: @athanor/orm is an
 * optional peer dependency, needed only by those who import this file.
 *
 * Built on the session events (beforeFlush, afterFlush, flushFailed): the span starts when
 * the flush starts, as a child of the span active where the flush was called (a request, a
 * commit), and ends when its last statement ran, or with an ERROR status and the exception
 * when it failed. Listeners are synchronous, so the flush's statements cannot be entered
 * into the span's context: their spans are siblings of the flush span under the same parent,
 * inside its time range.
 */
import { type Session, type SessionFactory, listen, removeListener } from '@athanor/orm';
import { systemName } from './system';
import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, context, trace } from '@opentelemetry/api';

export interface InstrumentSessionsOptions {
  /** The tracer to use (default: `trace.getTracer('@athanor/opentelemetry')` from the global provider). */
  tracer?: Tracer;
}

/** What `listen()` accepts for session events: one session, a sessionmaker() factory, or the Session class (every session). */
export type SessionEventTarget = Session | SessionFactory | typeof Session;

/** The span name of a flush. */
export const FLUSH_SPAN = 'athanor.orm.flush';

/**
 * Makes every flush of `target`'s sessions report a span named `athanor.orm.flush` with the
 * number of objects it is about to insert, update and delete (`athanor.orm.flush.new`,
 * `.dirty`, `.deleted`) and `db.system.name`; returns a function that stops it.
 */
export function instrumentSessions(target: SessionEventTarget, options: InstrumentSessionsOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer('@athanor/opentelemetry');
  // A session runs one flush at a time.
  const open = new WeakMap<Session, Span>();

  const started = (session: Session) => {
    open.get(session)?.end();
    const attributes: Attributes = {
      'db.system.name': systemName(session.engine),
      'athanor.orm.flush.new': session.new.length,
      'athanor.orm.flush.dirty': session.dirty.length,
      'athanor.orm.flush.deleted': session.deleted.length,
    };
    open.set(session, tracer.startSpan(FLUSH_SPAN, { kind: SpanKind.INTERNAL, attributes }, context.active()));
  };
  const ended = (session: Session) => {
    open.get(session)?.end();
    open.delete(session);
  };
  const failed = (session: Session, error: unknown) => {
    const span = open.get(session);
    if (!span) return;
    open.delete(session);
    const err = error instanceof Error ? error : new Error(String(error));
    span.setAttribute('error.type', err.name);
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    span.end();
  };
  listen(target, 'beforeFlush', started);
  listen(target, 'afterFlush', ended);
  listen(target, 'flushFailed', failed);
  return () => {
    removeListener(target, 'beforeFlush', started);
    removeListener(target, 'afterFlush', ended);
    removeListener(target, 'flushFailed', failed);
  };
}
