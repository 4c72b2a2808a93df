/**
 * Statements canceled by an AbortSignal and by a timeout (per statement, per transaction, as
 * the engine default, and for a stream): the server stops the statement, the caller gets
 * QueryCanceledError saying why, and the connection is kept (the same session serves the
 * next request). A statement that would not be canceled sleeps for a minute, past jest's
 * test timeout, so no assertion on elapsed time is needed.
 */
import { Column, Integer, MetaData, QueryCanceledError, Table, func, insert, select, text } from '@athanor/core';
import { expect, test } from '../runner';
import type { FaultContext } from './suite';
import { until } from './server';

export function cancelTests(ctx: FaultContext): void {
  const { server } = ctx;
  const long = () => text(server.sleepSQL(60));
  const metadata = new MetaData();
  const rows = new Table('fault_cancel', metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }) });

  ctx.tables(metadata);

  /** Resolves once session `id` runs a statement matching `pattern` (seen on the server). */
  const runningOnServer = (id: number, pattern: RegExp) =>
    until(async () => pattern.test((await ctx.admin((a) => server.running(a, id))) ?? ''), `the statement to be running on session ${id}`);

  async function expectCanceled(promise: Promise<unknown>, reason: 'signal' | 'timeout', message: RegExp): Promise<QueryCanceledError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(QueryCanceledError);
    expect((err as QueryCanceledError).reason).toBe(reason);
    expect((err as Error).message).toMatch(message);
    expect((err as QueryCanceledError).retryable).toBe(false);
    return err as QueryCanceledError;
  }

  test('an AbortSignal cancels a running statement on the server; the connection is kept', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    const controller = new AbortController();
    let id = 0;
    const running = engine.connect(async (c) => {
      id = await ctx.sessionId(c);
      return c.execute(long(), undefined, { signal: controller.signal });
    });
    await until(() => id !== 0, 'the session id');
    await runningOnServer(id, /sleep/i);
    controller.abort();
    await expectCanceled(running, 'signal', /canceled on the server: its AbortSignal was aborted/);
    expect(await engine.connect((c) => ctx.sessionId(c))).toBe(id);
    await ctx.expectClean(engine);
  });

  test('a timeout cancels a running statement; an aborted signal stops a statement before it is sent', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    const id = await engine.connect((c) => ctx.sessionId(c));
    await expectCanceled(
      engine.connect((c) => c.execute(long(), undefined, { timeout: 200 })),
      'timeout',
      /canceled on the server: its timeout of 200 ms passed/,
    );
    const aborted = AbortSignal.abort();
    await expectCanceled(
      engine.connect((c) => c.scalar(select(func.count()).selectFrom(rows), undefined, { signal: aborted })),
      'signal',
      /was not sent/,
    );
    expect(await engine.connect((c) => ctx.sessionId(c))).toBe(id);
    await ctx.expectClean(engine);
  });

  test("the engine's statementTimeout applies to every statement; a per-call timeout overrides it", async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0, statementTimeout: 200 });
    await expectCanceled(engine.connect((c) => c.execute(long())), 'timeout', /timeout of 200 ms/);
    expect(Number(await engine.connect((c) => c.scalar(text(server.sleepSQL(0.3)), undefined, { timeout: 20_000 })))).toBe(0);
    await ctx.expectClean(engine);
  });

  test('a transaction timeout cancels its running statement and rolls it back; a signal on the transaction too', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    const count = () => engine.connect(async (c) => Number(await c.scalar(select(func.count()).selectFrom(rows))));
    await expectCanceled(
      engine.begin(
        async (c) => {
          await c.execute(insert(rows).values({ id: 1 }));
          await c.execute(long());
        },
        { timeout: 300 },
      ),
      'timeout',
      /transaction's timeout passed|timeout of/,
    );
    expect(await count()).toBe(0);
    const controller = new AbortController();
    let id = 0;
    const tx = engine.begin(
      async (c) => {
        await c.execute(insert(rows).values({ id: 2 }));
        id = await ctx.sessionId(c);
        await c.execute(long());
      },
      { signal: controller.signal },
    );
    await until(() => id !== 0, 'the transaction to start');
    await runningOnServer(id, /sleep/i);
    controller.abort();
    await expectCanceled(tx, 'signal', /AbortSignal was aborted/);
    expect(await count()).toBe(0);
    await ctx.expectClean(engine);
  });

  test('a stream under a signal ends with QueryCanceledError when it aborts; its connection is kept', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    await engine.begin((c) => c.execute(insert(rows), Array.from({ length: 500 }, (_, i) => ({ id: 100 + i }))));
    const id = await engine.connect((c) => ctx.sessionId(c));
    const controller = new AbortController();
    let read = 0;
    const streaming = engine.connect(async (c) => {
      for await (const _ of c.stream(select(rows.c.id).orderBy(rows.c.id), undefined, { chunkSize: 50, signal: controller.signal })) {
        if (++read === 10) controller.abort();
      }
    });
    await expectCanceled(streaming, 'signal', /AbortSignal was aborted/);
    expect(read).toBeGreaterThanOrEqual(10);
    expect(read).toBeLessThan(500);
    expect(await engine.connect((c) => ctx.sessionId(c))).toBe(id);
    await engine.connect((c) => c.execute(text('DELETE FROM fault_cancel')));
    await ctx.expectClean(engine);
  });
}
