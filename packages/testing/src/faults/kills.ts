/** Sessions killed from the server side: mid-transaction, during COMMIT, during a large stream. */
import { Column, CommitOutcomeUnknownError, DisconnectError, Integer, MetaData, Table, Text, func, insert, literalColumn, select } from '@athanor/core';
import { afterAll, beforeAll, expect, test } from '../runner';
import type { FaultContext } from './suite';
import { type Undo, until } from './server';

const ROWS = 10_000;
const PAYLOAD = 1_000;

export function killTests(ctx: FaultContext): void {
  const { server } = ctx;
  const metadata = new MetaData();
  const kv = new Table('fault_kv', metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }), v: Column(Integer) });
  const big = new Table('fault_big', metadata, { id: Column(Integer, { primaryKey: true, autoincrement: false }), payload: Column(Text) });

  beforeAll(async () => {
    const engine = ctx.engine();
    await metadata.createAll(engine);
    // 10,000 rows of 1,000 characters: a 10 MB result.
    const rows = Array.from({ length: ROWS }, (_, id) => ({ id, payload: String(id % 10).repeat(PAYLOAD) }));
    await engine.begin((c) => c.execute(insert(big), rows));
    await engine.dispose();
  }, 120_000);

  afterAll(async () => {
    const engine = ctx.engine();
    await metadata.dropAll(engine);
    await engine.dispose();
  }, 60_000);

  test('killed mid-transaction: DisconnectError, nothing of the transaction persists', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    const err = await engine
      .begin(async (c) => {
        await c.execute(insert(kv).values({ id: 1, v: 1 }));
        const id = await ctx.sessionId(c);
        await ctx.admin((a) => server.kill(a, id));
        await c.execute(insert(kv).values({ id: 2, v: 2 }));
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect((err as DisconnectError).retryable).toBe(true);
    expect(Number(await engine.connect((c) => c.scalar(select(func.count()).selectFrom(kv))))).toBe(0);
    await ctx.expectClean(engine);
  });

  const stall = server.stallCommit;
  if (stall) {
    test('killed during COMMIT: CommitOutcomeUnknownError says the outcome is unknown (and it is not retried blindly)', async () => {
      const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
      const undo: Undo[] = [];
      if (stall.prepare) undo.push(await engine.connect((c) => stall.prepare!(c, 'fault_kv')));
      let session = 0;
      const committing = engine.begin(async (c) => {
        session = await ctx.sessionId(c);
        await c.execute(insert(kv).values({ id: 10, v: 10 }));
        if (stall.afterWrite) undo.push(await stall.afterWrite());
      });
      const outcome = committing.catch((e: unknown) => e);
      // The session is killed and the stall undone even when COMMIT was never seen running.
      const notSeen = await until(async () => /^\s*COMMIT/i.test((await ctx.admin((a) => server.running(a, session))) ?? ''), 'COMMIT to be running on the server').then(
        () => undefined,
        (e: unknown) => e,
      );
      await ctx.admin((a) => server.kill(a, session));
      const err = await outcome;
      for (const u of undo) await engine.connect(u);
      if (notSeen) throw notSeen;
      expect(err).toBeInstanceOf(CommitOutcomeUnknownError);
      expect(err).toBeInstanceOf(DisconnectError);
      expect((err as Error).message).toMatch(/unknown whether the transaction committed/);
      expect((err as CommitOutcomeUnknownError).retryable).toBe(false);
      await ctx.expectClean(engine);
      // What really happened (the server aborted it): the row is not there.
      expect(Number(await engine.connect((c) => c.scalar(select(func.count()).selectFrom(kv).where(kv.c.id.eq(10)))))).toBe(0);
    });
  }

  test('killed during a 10 MB stream: the stream ends with DisconnectError instead of hanging, the connection is released', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    let read = 0;
    const err = await engine
      .connect(async (c) => {
        const id = await ctx.sessionId(c);
        for await (const row of c.stream(select(big.c.id, big.c.payload).orderBy(big.c.id), undefined, { chunkSize: 200 })) {
          expect(row.payload?.length).toBe(PAYLOAD);
          if (++read === 1) await ctx.admin((a) => server.kill(a, id));
        }
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectError);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(ROWS);
    await ctx.expectClean(engine);
  });

  test('a stream left early (break) or failing releases its connection, which stays usable', async () => {
    const engine = ctx.engine({ poolSize: 1, maxOverflow: 0 });
    const first = await engine.connect(async (c) => {
      let n = 0;
      for await (const _ of c.stream(select(big.c.id).orderBy(big.c.id), undefined, { chunkSize: 100 })) if (++n === 150) break;
      expect(n).toBe(150);
      return ctx.sessionId(c);
    });
    const err = await engine
      .connect(async (c) => {
        for await (const _ of c.stream(select(literalColumn('no_such_column')).selectFrom(big))) expect(_).toBeUndefined();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DisconnectError);
    expect(await engine.connect((c) => ctx.sessionId(c))).toBe(first);
    await ctx.expectClean(engine);
  });
}
