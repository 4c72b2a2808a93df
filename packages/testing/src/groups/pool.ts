import { PoolTimeoutError, QueryCanceledError, createEngine, literal, select, text } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export function poolTests(ctx: SuiteContext): void {
  ctx.test('an exhausted pool raises PoolTimeoutError after poolTimeout and recovers', async () => {
    const engine = createEngine(ctx.url, { ...ctx.engineOptions, poolSize: 1, maxOverflow: 0, poolTimeout: 200 });
    try {
      const held = await engine.connect();
      const error = await engine.connect((c) => c.execute(select(literal(1).label('one')))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PoolTimeoutError);
      expect((error as Error).message).toMatch(/within 200 ms \(pool size 1, overflow 0/);
      expect(engine.pool.checkedOut).toBe(1);
      await held.close();
      expect(await engine.connect((c) => c.scalar(select(literal(1).label('one'))))).toBe(1);
      expect(engine.pool.checkedOut).toBe(0);
    } finally {
      await engine.dispose();
    }
  });

  ctx.test("a transaction's AbortSignal also ends its wait for a pooled connection", async () => {
    const engine = createEngine(ctx.url, { ...ctx.engineOptions, poolSize: 1, maxOverflow: 0 });
    try {
      const held = await engine.connect();
      const controller = new AbortController();
      let ran = false;
      const waiting = engine.begin(
        async () => {
          ran = true;
        },
        { signal: controller.signal },
      );
      const outcome = waiting.catch((e: unknown) => e);
      for (let i = 0; i < 100 && engine.pool.waiting === 0; i++) await new Promise((r) => setImmediate(r));
      expect(engine.pool.waiting).toBe(1);
      controller.abort();
      const error = await outcome;
      expect(error).toBeInstanceOf(QueryCanceledError);
      expect((error as QueryCanceledError).reason).toBe('signal');
      expect((error as Error).message).toMatch(/waited for a pooled connection/);
      expect(ran).toBe(false);
      expect(engine.pool.waiting).toBe(0);
      await held.close();
      expect(engine.pool.checkedOut).toBe(0);
      expect(await engine.connect((c) => c.scalar(select(literal(1).label('one'))))).toBe(1);
    } finally {
      await engine.dispose();
    }
  });

  ctx.test('checked-out count returns to 0 after failing statements and transactions', async () => {
    await ctx.engine.connect((c) => c.execute(text('SELEC 1'))).catch(() => undefined);
    await ctx.engine.begin((c) => c.execute(text('SELEC 2'))).catch(() => undefined);
    for (let i = 0; i < 3; i++) {
      await ctx.engine.begin(async () => {
        throw new Error('fail');
      }).catch(() => undefined);
    }
    expect(ctx.engine.pool.checkedOut).toBe(0);
  });
}
