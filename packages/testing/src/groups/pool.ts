import { PoolTimeoutError, createEngine, literal, select, text } from '@athanor/core';
import { expect } from '@jest/globals';
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
