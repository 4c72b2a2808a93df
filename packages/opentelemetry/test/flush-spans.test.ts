/**
 * A span per ORM flush (@athanor/opentelemetry/orm), read back from the SDK's in-memory
 * exporter: its name, the counts of objects it writes, its parent (the span active where the
 * flush was called), its time range around the flush's statement spans, an ERROR status when
 * it fails, and nothing once stopped. Targets: one session, a sessionmaker() factory, the
 * Session class. SQLite in memory, and PostgreSQL and MariaDB live (a table of the test's own).
 */
import { Column, type Engine, IntegrityError, Integer, String, createEngine, func, select } from '@athanor/core';
import { Session, declarativeBase, sessionmaker } from '@athanor/orm';
import { liveServer } from '@athanor/testing';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { instrumentEngine } from '../src';
import { FLUSH_SPAN, instrumentSessions } from '../src/orm';

const exporter = new InMemorySpanExporter();
/** Span starts and ends in the order they happened (span times have millisecond starts, too coarse to order by). */
const timeline: string[] = [];
const recorder: SpanProcessor = {
  onStart: (span) => timeline.push(`start ${operationOf(span)}`),
  onEnd: (span) => timeline.push(`end ${operationOf(span)}`),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
const operationOf = (span: ReadableSpan | Span) => `${span.attributes['db.operation.name'] ?? span.name}`;
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), recorder] });
const tracer = provider.getTracer('athanor-test');
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
afterAll(() => {
  contextManager.disable();
  context.disable();
});
beforeEach(() => {
  exporter.reset();
  timeline.length = 0;
});

const table = `otel_flush_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const Base = declarativeBase();
class Item extends Base.mapped(table, { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(40), { nullable: false }) }) {}

const flushes = () => exporter.getFinishedSpans().filter((s) => s.name === FLUSH_SPAN);

/** Two flushes in a request span: 2 inserts, then 1 update and 1 delete. */
async function twoFlushes(engine: Engine, session: Session): Promise<ReadableSpan> {
  return tracer.startActiveSpan('request', async (request) => {
    session.add(new Item({ id: 1, name: 'a' }));
    session.add(new Item({ id: 2, name: 'b' }));
    await session.flush();
    const [a, b] = [await session.get(Item, 1), await session.get(Item, 2)];
    a!.name = 'a2';
    session.delete(b!);
    await session.commit();
    request.end();
    expect(engine.pool.checkedOut).toBe(0);
    return exporter.getFinishedSpans().find((s) => s.name === 'request')!;
  });
}

function checkTwoFlushes(request: ReadableSpan, system: string): void {
  const [first, second] = flushes();
  expect(flushes()).toHaveLength(2);
  for (const f of [first, second]) {
    expect(f.kind).toBe(SpanKind.INTERNAL);
    expect(f.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(f.status.code).toBe(SpanStatusCode.UNSET);
    expect(f.attributes['db.system.name']).toBe(system);
  }
  expect(first.attributes).toMatchObject({ 'athanor.orm.flush.new': 2, 'athanor.orm.flush.dirty': 0, 'athanor.orm.flush.deleted': 0 });
  expect(second.attributes).toMatchObject({ 'athanor.orm.flush.new': 0, 'athanor.orm.flush.dirty': 1, 'athanor.orm.flush.deleted': 1 });
  // The flush's statements started and ended inside it: the first begins the transaction and inserts, the second deletes and updates (the ORM's order).
  const begin = system === 'mysql' || system === 'mariadb' ? 'START' : 'BEGIN';
  const inside = (n: number) => {
    const starts = timeline.flatMap((e, i) => (e === `start ${FLUSH_SPAN}` ? [i] : []));
    const end = timeline.indexOf(`end ${FLUSH_SPAN}`, starts[n]);
    return timeline.slice(starts[n] + 1, end);
  };
  expect(inside(0)).toEqual([`start ${begin}`, `end ${begin}`, 'start INSERT', 'end INSERT']);
  expect(inside(1)).toEqual(['start DELETE', 'end DELETE', 'start UPDATE', 'end UPDATE']);
}

describe('SQLite', () => {
  let engine: Engine;
  beforeEach(async () => {
    engine = createEngine('sqlite://');
    await Base.metadata.createAll(engine);
  });
  afterEach(() => engine.dispose());

  test('one session: a span per flush, child of the active span, with the counts; statements inside its range', async () => {
    const stopEngine = instrumentEngine(engine, { tracer });
    await using session = new Session(engine);
    const stop = instrumentSessions(session, { tracer });
    const request = await twoFlushes(engine, session);
    checkTwoFlushes(request, 'sqlite');
    stop();
    stopEngine();
    session.add(new Item({ id: 3, name: 'c' }));
    await session.commit();
    expect(flushes()).toHaveLength(2);
  });

  test('a sessionmaker() factory and the Session class reach the sessions they make', async () => {
    const factory = sessionmaker(engine);
    const stopFactory = instrumentSessions(factory, { tracer });
    await factory.begin(async (s) => {
      s.add(new Item({ id: 10, name: 'factory' }));
    });
    expect(flushes()).toHaveLength(1);
    stopFactory();
    const stopAll = instrumentSessions(Session, { tracer });
    try {
      await using s = new Session(engine);
      s.add(new Item({ id: 11, name: 'any session' }));
      await s.commit();
    } finally {
      stopAll();
    }
    expect(flushes().map((f) => f.attributes['athanor.orm.flush.new'])).toEqual([1, 1]);
    expect(Number(await engine.connect((c) => c.scalar(select(func.count()).selectFrom(Item.table))))).toBe(2);
  });

  test('a failed flush: the span ends with an ERROR status, error.type and the exception', async () => {
    await using session = new Session(engine);
    const stop = instrumentSessions(session, { tracer });
    session.add(new Item({ id: 20, name: 'first' }));
    await session.commit();
    session.add(new Item({ id: 20, name: 'same key' }));
    const err = await session.commit().catch((e: unknown) => e);
    stop();
    expect(err).toBeInstanceOf(IntegrityError);
    const [ok, failed] = flushes();
    expect(ok.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.status.message).toBe((err as Error).message);
    expect(failed.attributes['error.type']).toBe((err as Error).name);
    expect(failed.events.map((e) => e.name)).toEqual(['exception']);
  });
});

const servers = [
  { label: 'PostgreSQL', env: 'ATHANOR_PG_URL', url: process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test', system: 'postgresql' },
  { label: 'MariaDB/MySQL', env: 'ATHANOR_MYSQL_URL', url: process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test', system: 'mariadb' },
];
for (const s of servers) {
  liveServer(s.label, s.url, s.env).describe(`${s.label} flush spans`)(`${s.label}: flush spans`, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = createEngine(s.url);
      await Base.metadata.createAll(engine);
    });
    afterAll(async () => {
      await Base.metadata.dropAll(engine);
      await engine.dispose();
    });

    test('a span per flush with the counts, around its statements; rows read back', async () => {
      const stopEngine = instrumentEngine(engine, { tracer });
      await using session = new Session(engine);
      const stop = instrumentSessions(session, { tracer });
      const request = await twoFlushes(engine, session);
      stop();
      stopEngine();
      const system = s.system === 'mariadb' && !(engine.dialect as { isMariaDB?: boolean }).isMariaDB ? 'mysql' : s.system;
      checkTwoFlushes(request, system);
      const rows = await engine.connect(async (c) => (await c.execute(select(Item.c.id, Item.c.name).selectFrom(Item.table))).all());
      expect(rows.map((r) => ({ ...r }))).toEqual([{ id: 1, name: 'a2' }]);
    });
  });
}
