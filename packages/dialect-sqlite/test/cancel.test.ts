/**
 * Cancellation on SQLite: better-sqlite3 runs each statement synchronously, so a running
 * statement cannot be interrupted; an aborted signal or an expired transaction deadline is
 * checked before each statement is sent, and COMMIT is refused past the deadline.
 */
import { Column, Integer, MetaData, QueryCanceledError, Table, createEngine, func, insert, select } from '@athanor/core';
import { athanorDialect } from '../src';

const metadata = new MetaData();
const t = new Table('c', metadata, { id: Column(Integer, { primaryKey: true }) });

async function engine() {
  const e = createEngine('sqlite://', { dialect: athanorDialect });
  await metadata.createAll(e);
  return e;
}
const count = (e: Awaited<ReturnType<typeof engine>>) => e.connect(async (c) => Number(await c.scalar(select(func.count()).selectFrom(t))));

test('an aborted signal: the statement is not sent, QueryCanceledError says so, the connection is usable', async () => {
  const e = await engine();
  const err = await e.connect((c) => c.execute(insert(t).values({ id: 1 }), undefined, { signal: AbortSignal.abort() })).catch((x: unknown) => x);
  expect(err).toBeInstanceOf(QueryCanceledError);
  expect((err as QueryCanceledError).reason).toBe('signal');
  expect((err as Error).message).toMatch(/was not sent: its AbortSignal was aborted/);
  expect(await count(e)).toBe(0);
  await e.connect((c) => c.execute(insert(t).values({ id: 1 }), undefined, { signal: new AbortController().signal, timeout: 10_000 }));
  expect(await count(e)).toBe(1);
  await e.dispose();
});

test('a transaction aborted between statements: the next statement is refused and nothing commits', async () => {
  const e = await engine();
  const controller = new AbortController();
  const err = await e
    .begin(
      async (c) => {
        await c.execute(insert(t).values({ id: 5 }));
        controller.abort();
        await c.execute(insert(t).values({ id: 6 }));
      },
      { signal: controller.signal },
    )
    .catch((x: unknown) => x);
  expect(err).toBeInstanceOf(QueryCanceledError);
  expect((err as Error).message).toMatch(/The transaction must be rolled back/);
  expect(await count(e)).toBe(0);
  expect(e.pool.checkedOut).toBe(0);
  await e.dispose();
});

test('COMMIT is refused once the transaction was aborted, even with no statement after the abort', async () => {
  const e = await engine();
  const controller = new AbortController();
  const err = await e
    .begin(
      async (c) => {
        await c.execute(insert(t).values({ id: 7 }));
        controller.abort();
      },
      { signal: controller.signal },
    )
    .catch((x: unknown) => x);
  expect(err).toBeInstanceOf(QueryCanceledError);
  expect((err as QueryCanceledError).sql).toBe('COMMIT');
  expect(await count(e)).toBe(0);
  await e.dispose();
});
