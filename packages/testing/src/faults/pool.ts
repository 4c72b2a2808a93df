/** Pool accounting under load and failure: hand-offs, waiters, pre-ping and recycle when logins fail. */
import { type Engine, OperationalError, PoolTimeoutError, text } from '@athanor/core';
import { expect, test } from '../runner';
import type { FaultContext } from './suite';
import { until } from './server';

export function poolFaultTests(ctx: FaultContext): void {
  const { server } = ctx;

  /** Opens `n` connections at once (each waits for the others), returns them to the pool, and gives their session ids. */
  async function openTogether(engine: Engine, n: number): Promise<number[]> {
    let open = 0;
    const ids = await Promise.all(
      Array.from({ length: n }, () =>
        engine.connect(async (c) => {
          open++;
          await until(() => open === n, `${n} connections checked out together`);
          return ctx.sessionId(c);
        }),
      ),
    );
    expect(new Set(ids).size).toBe(n);
    return ids;
  }

  test('hand-offs to queued waiters count each checkout once: checkedOut never exceeds the pool', async () => {
    const engine = ctx.engine({ poolSize: 2, maxOverflow: 0 });
    let most = 0;
    let checkouts = 0;
    engine.on('checkout', () => {
      checkouts++;
      most = Math.max(most, engine.pool.checkedOut);
    });
    // Each caller holds its connection until the pool has handed out two, so both pooled connections are
    // out at once however slowly the second one logs in (a loaded machine let the first serve everyone).
    const ids = await Promise.all(
      Array.from({ length: 24 }, () =>
        engine.connect(async (c) => {
          await until(() => checkouts >= 2, 'the second connection checked out');
          return ctx.sessionId(c);
        }),
      ),
    );
    expect(checkouts).toBe(24);
    expect(most).toBe(2);
    expect(new Set(ids).size).toBeLessThanOrEqual(2);
    expect(engine.pool.size).toBe(2);
    await ctx.expectClean(engine);
  });

  test('pool exhaustion: waiters are served in turn as connections return; one past poolTimeout gets PoolTimeoutError', async () => {
    const engine = ctx.engine({ poolSize: 2, maxOverflow: 0 });
    const held = [await engine.connect(), await engine.connect()];
    const served: number[] = [];
    const waiters = [0, 1, 2].map((i) =>
      engine.connect(async (c) => {
        served.push(i);
        return ctx.sessionId(c);
      }),
    );
    await until(() => engine.pool.waiting === 3, 'three callers queued for a connection');
    expect(engine.pool.checkedOut).toBe(2);
    await held[0].close();
    await until(() => served.length === 3, 'the three waiters served by the one returned connection');
    expect(served).toEqual([0, 1, 2]);
    await Promise.all(waiters);
    expect(engine.pool.checkedOut).toBe(1);

    const impatient = ctx.engine({ poolSize: 1, maxOverflow: 0, poolTimeout: 100 });
    const blocker = await impatient.connect();
    await expect(impatient.connect((c) => ctx.sessionId(c))).rejects.toBeInstanceOf(PoolTimeoutError);
    expect(impatient.pool.waiting).toBe(0);
    expect(impatient.pool.checkedOut).toBe(1);
    await blocker.close();
    await held[1].close();
    await ctx.expectClean(engine, impatient);
  });

  for (const mode of ['prePing', 'recycle'] as const) {
    test(`${mode}: a replacement connect that fails frees its slot; the pool recovers once logins work`, async () => {
      const options = mode === 'prePing' ? { poolPrePing: true } : { poolRecycle: 0 };
      const engine = ctx.engine({ poolSize: 1, maxOverflow: 0, poolTimeout: 5000, ...options });
      const invalidated: string[] = [];
      engine.on('invalidate', (e) => invalidated.push(e.reason));
      const first = await engine.connect((c) => ctx.sessionId(c));
      // The pooled connection dies (pre-ping must notice), and no new login is possible.
      await ctx.admin(async (a) => {
        await server.setLogin(a, false);
        await server.kill(a, first);
      });
      await until(async () => !(await ctx.admin((a) => server.sessions(a))).includes(first), 'the killed session to leave the server');
      for (let i = 0; i < 3; i++) {
        const err = await engine.connect((c) => ctx.sessionId(c)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OperationalError);
        expect((err as Error).message).toMatch(/Could not connect/);
        expect(engine.pool.checkedOut).toBe(0);
        expect(engine.pool.size).toBe(0);
      }
      expect(invalidated.length).toBe(1);
      await ctx.admin((a) => server.setLogin(a, true));
      const next = await engine.connect((c) => ctx.sessionId(c));
      expect(next).not.toBe(first);
      await ctx.expectClean(engine);
    });
  }

  test('connections killed while idle cost no failed request: the pool replaces them at checkout', async () => {
    const engine = ctx.engine({ poolSize: 3, maxOverflow: 0 });
    const ids = await openTogether(engine, 3);
    await ctx.admin(async (a) => {
      for (const id of ids) await server.kill(a, id);
    });
    await until(async () => (await ctx.admin((a) => server.sessions(a))).length === 0, 'the killed sessions to leave the server');
    for (let i = 0; i < 3; i++) {
      const id = await engine.connect((c) => ctx.sessionId(c));
      expect(ids).not.toContain(id);
    }
    await ctx.expectClean(engine);
  });

  test('pool.idleCount and pool.size drop an idle connection whose backend was killed, before any checkout', async () => {
    const engine = ctx.engine({ poolSize: 2, maxOverflow: 0 });
    const reasons: string[] = [];
    engine.on('invalidate', (e) => reasons.push(e.reason));
    const [killed, kept] = await openTogether(engine, 2);
    expect(engine.pool.idleCount).toBe(2);
    await ctx.admin((a) => server.kill(a, killed));
    // The driver notices the closed socket on its own; the counts follow without a checkout.
    await until(() => engine.pool.idleCount === 1, 'pool.idleCount to drop the killed idle connection');
    expect(engine.pool.size).toBe(1);
    expect(engine.pool.checkedOut).toBe(0);
    expect(reasons).toEqual(['disconnect']);
    // The survivor is the one handed out next: the killed one is gone, not merely uncounted.
    expect(await engine.connect((c) => ctx.sessionId(c))).toBe(kept);
    await ctx.expectClean(engine);
  });

  test('a disconnect found by a failed statement invalidates the older pooled connections (pool-wide)', async () => {
    const engine = ctx.engine({ poolSize: 2, maxOverflow: 0 });
    const ids = await openTogether(engine, 2);
    const reasons: string[] = [];
    engine.on('invalidate', (e) => reasons.push(e.reason));
    // Kill one session while its connection is checked out and busy: the statement fails.
    const err = await engine
      .connect(async (c) => {
        const id = await ctx.sessionId(c);
        await ctx.admin((a) => server.kill(a, id));
        return c.execute(text(server.sleepSQL(0)));
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationalError);
    // The other, older connection is replaced at its checkout without a round trip.
    const next = await engine.connect((c) => ctx.sessionId(c));
    expect(ids).not.toContain(next);
    expect(reasons).toEqual(['disconnect', 'stale']);
    await ctx.expectClean(engine);
  });
}
