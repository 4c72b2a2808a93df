/**
 * @athanor/opentelemetry — a client span per statement an engine runs, named and described
 * with the OpenTelemetry semantic conventions for database client spans: `db.system.name`,
 * `db.namespace`, `db.operation.name`, `db.collection.name`, `db.query.text`,
 * `server.address`/`server.port`, `db.response.returned_rows`, and on failure `error.type`,
 * `db.response.status_code` and an ERROR status with the exception recorded. Spans are
 * children of the span active where the statement was executed. Built on the engine's
 * `beforeExecute`/`afterExecute`/`handleError` events: an engine without instrumentation
 * pays nothing.
 */
import type { Engine, SqlCommentTags } from '@athanor/core';
import { systemName } from './system';
import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, context, isSpanContextValid, trace } from '@opentelemetry/api';

export interface InstrumentOptions {
  /** The tracer to use (default: `trace.getTracer('@athanor/opentelemetry')` from the global provider). */
  tracer?: Tracer;
  /** Record `db.query.text` (the SQL with placeholders; never the parameter values). Default true. */
  queryText?: boolean;
}

const OPERATION = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/;
const IDENT = String.raw`((?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*))?)`;
const TARGET: Record<string, RegExp> = {
  SELECT: new RegExp(String.raw`\bFROM\s+${IDENT}`, 'i'),
  INSERT: new RegExp(String.raw`^\s*INSERT\s+(?:IGNORE\s+)?INTO\s+${IDENT}`, 'i'),
  UPDATE: new RegExp(String.raw`^\s*UPDATE\s+${IDENT}`, 'i'),
  DELETE: new RegExp(String.raw`^\s*DELETE\s+FROM\s+${IDENT}`, 'i'),
};

/** The operation (first keyword) and, for simple statements, the table it works on. */
export function describeStatement(sql: string): { operation: string | undefined; collection: string | undefined } {
  const operation = OPERATION.exec(sql)?.[1]?.toUpperCase();
  const target = operation ? TARGET[operation]?.exec(sql)?.[1] : undefined;
  return { operation, collection: target?.replace(/["\x60]/g, '') };
}

/**
 * Makes `engine` report a span per statement; returns a function that stops it. Statements
 * on one connection run one at a time, so each span is found again by its connection.
 */
export function instrumentEngine(engine: Engine, options: InstrumentOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer('@athanor/opentelemetry');
  const withText = options.queryText !== false;
  const open = new Map<number, Span>();
  const url = engine.url;
  const base: Attributes = {};
  if (url.database !== undefined && url.dialect !== 'sqlite') base['db.namespace'] = url.database;
  if (url.host !== undefined) base['server.address'] = url.host;
  if (url.port !== undefined) base['server.port'] = url.port;

  const offBefore = engine.on('beforeExecute', (e) => {
    const { operation, collection } = describeStatement(e.sql);
    const system = systemName(engine);
    const attributes: Attributes = { ...base, 'db.system.name': system };
    if (operation !== undefined) attributes['db.operation.name'] = operation;
    if (collection !== undefined) attributes['db.collection.name'] = collection;
    if (withText) attributes['db.query.text'] = e.sql;
    // Semantic conventions: "{operation} {target}", else the namespace or the system.
    const target = collection ?? (base['db.namespace'] as string | undefined);
    const name = operation ? (target ? `${operation} ${target}` : operation) : system;
    open.get(e.connectionId)?.end();
    open.set(e.connectionId, tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active()));
  });
  const offAfter = engine.on('afterExecute', (e) => {
    const span = open.get(e.connectionId);
    if (!span) return;
    open.delete(e.connectionId);
    span.setAttribute('db.response.returned_rows', e.rowCount);
    span.end();
  });
  const offError = engine.on('handleError', (e) => {
    const span = open.get(e.connectionId);
    if (!span) return;
    open.delete(e.connectionId);
    const code = (e.error as { code?: unknown }).code;
    span.setAttribute('error.type', e.error.name);
    if (typeof code === 'string' || typeof code === 'number') span.setAttribute('db.response.status_code', String(code));
    span.recordException(e.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: e.error.message });
    span.end();
  });
  return () => {
    offBefore();
    offAfter();
    offError();
    for (const span of open.values()) span.end();
    open.clear();
  };
}

/**
 * For the engine's `sqlComment` option: the active span's W3C `traceparent` as a sqlcommenter
 * tag, so the database's own logs (slow query log, pg_stat_activity) lead back to the trace.
 * `createEngine(url, { sqlComment: traceparentComment })`.
 */
export function traceparentComment(): SqlCommentTags | undefined {
  const span = trace.getSpan(context.active());
  const sc = span?.spanContext();
  if (sc === undefined || !isSpanContextValid(sc)) return undefined;
  return { traceparent: `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 1).toString(16).padStart(2, '0')}` };
}
