/**
 * Spans per statement, read back from the OpenTelemetry SDK's in-memory exporter: names and
 * attributes as the database semantic conventions give them, errors recorded, parenting under
 * the active span. SQLite in memory, and PostgreSQL and MariaDB live for the server attributes.
 */
import { Column, Integer, MetaData, String, Table, UniqueViolation, createEngine, insert, select } from '@athanor/core';
import { liveServer } from '@athanor/testing';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describeStatement, instrumentEngine, traceparentComment } from '../src';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('athanor-test');
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
afterAll(() => {
  contextManager.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

const metadata = new MetaData();
const notes = new Table('otel_notes', metadata, { id: Column(Integer, { primaryKey: true }), body: Column(String(50), { nullable: false, unique: true }) });

test('SQLite: one span per statement, named "{operation} {table}", with the semantic-convention attributes', async () => {
  const engine = createEngine('sqlite://');
  await metadata.createAll(engine);
  const stop = instrumentEngine(engine, { tracer });
  await tracer.startActiveSpan('request', async (request) => {
    await engine.connect(async (c) => {
      await c.execute(insert(notes), [{ body: 'a' }, { body: 'b' }]);
      await c.execute(select(notes.c.body).where(notes.c.id.gt(0)));
      await c.execute(insert(notes).values({ body: 'a' })).catch((e: unknown) => expect(e).toBeInstanceOf(UniqueViolation));
    });
    request.end();
  });
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'request')!;
  const statements = spans.filter((s) => s !== request);
  expect(statements.map((s) => s.name)).toEqual(['INSERT otel_notes', 'SELECT otel_notes', 'INSERT otel_notes']);
  for (const s of statements) {
    expect(s.kind).toBe(SpanKind.CLIENT);
    expect(s.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(s.attributes['db.system.name']).toBe('sqlite');
  }
  expect(statements[0].attributes).toMatchObject({ 'db.operation.name': 'INSERT', 'db.collection.name': 'otel_notes', 'db.query.text': 'INSERT INTO otel_notes (body) VALUES (?), (?)', 'db.response.returned_rows': 2 });
  expect(statements[1].attributes).toMatchObject({ 'db.operation.name': 'SELECT', 'db.response.returned_rows': 2 });
  expect(statements[0].status.code).toBe(SpanStatusCode.UNSET);
  const failed = statements[2];
  expect(failed.status.code).toBe(SpanStatusCode.ERROR);
  expect(failed.attributes['error.type']).toBe('UniqueViolation');
  expect(failed.attributes['db.response.status_code']).toBe('SQLITE_CONSTRAINT_UNIQUE');
  expect(failed.events.map((e) => e.name)).toEqual(['exception']);
  stop();
  await engine.connect((c) => c.execute(select(notes.c.id)));
  expect(exporter.getFinishedSpans().length).toBe(spans.length);
  await engine.dispose();
});

test('queryText: false leaves the SQL out', async () => {
  const engine = createEngine('sqlite://');
  const stop = instrumentEngine(engine, { tracer, queryText: false });
  await metadata.createAll(engine);
  const names = exporter.getFinishedSpans().map((s) => s.name);
  // createAll: one transaction creating the table (its unique constraint inline).
  expect(names).toEqual(['BEGIN', 'CREATE', 'COMMIT']);
  expect(exporter.getFinishedSpans().every((s) => s.attributes['db.query.text'] === undefined)).toBe(true);
  stop();
  await engine.dispose();
});

test('traceparentComment: the active span travels to the database in a sqlcommenter comment', async () => {
  const lines: string[] = [];
  const engine = createEngine('sqlite://', { sqlComment: traceparentComment, echo: (line) => lines.push(line) });
  await engine.connect((c) => c.execute(select(notes.c.id).limit(1)).catch(() => undefined));
  expect(lines[0]).not.toMatch(/traceparent/);
  const ids = await tracer.startActiveSpan('request', async (span) => {
    await engine.connect((c) => c.execute(select(notes.c.id).limit(1)).catch(() => undefined));
    span.end();
    return span.spanContext();
  });
  expect(lines[1]).toContain(`/*traceparent='00-${ids.traceId}-${ids.spanId}-01'*/`);
  await engine.dispose();
});

test('describeStatement: operation and table from simple statements', () => {
  expect(describeStatement('SELECT a FROM "s"."t" WHERE x')).toEqual({ operation: 'SELECT', collection: 's.t' });
  expect(describeStatement('UPDATE `t` SET a = 1')).toEqual({ operation: 'UPDATE', collection: 't' });
  expect(describeStatement('DELETE FROM t')).toEqual({ operation: 'DELETE', collection: 't' });
  expect(describeStatement('BEGIN')).toEqual({ operation: 'BEGIN', collection: undefined });
});

const servers = [
  { label: 'PostgreSQL', env: 'ATHANOR_PG_URL', url: process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test', system: 'postgresql' },
  { label: 'MariaDB/MySQL', env: 'ATHANOR_MYSQL_URL', url: process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test', system: 'mariadb' },
];
for (const s of servers) {
  const server = liveServer(s.label, s.url, s.env);
  server.describe(`${s.label} spans`)(`${s.label}: server attributes`, () => {
    test('db.system.name, db.namespace, server.address and server.port come from the engine', async () => {
      const engine = createEngine(s.url);
      try {
        // Connect first: whether a mysql:// server is MariaDB is known once connected.
        await engine.connect(async () => undefined);
        const stop = instrumentEngine(engine, { tracer });
        await engine.connect((c) => c.execute(select(notes.c.id).where(notes.c.id.eq(1)).limit(1)).catch(() => undefined));
        stop();
        const [span] = exporter.getFinishedSpans();
        const u = new URL(s.url);
        const system = s.system === 'mariadb' && !(engine.dialect as { isMariaDB?: boolean }).isMariaDB ? 'mysql' : s.system;
        expect(span.name).toBe('SELECT otel_notes');
        expect(span.attributes).toMatchObject({
          'db.system.name': system,
          'db.namespace': u.pathname.slice(1),
          'server.address': u.hostname,
          'server.port': Number(u.port),
        });
        // The table does not exist there: the failure is on the span.
        expect(span.attributes['error.type']).toBe('ProgrammingError');
      } finally {
        await engine.dispose();
      }
    });
  });
}
