import { DatabaseError, PendingRollbackError, UniqueViolation, delete_, func, insert, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export function transactionTests(ctx: SuiteContext): void {
  const { kv } = ctx.t;
  const count = (k: string) => ctx.engine.connect(async (c) => Number(await c.scalar(select(func.count(kv.c.k)).where(kv.c.k.eq(k)))));
  const clear = () => ctx.engine.connect((c) => c.execute(delete_(kv)));

  ctx.test('commit persists, explicit rollback discards', async () => {
    await clear();
    await ctx.engine.begin((c) => c.execute(insert(kv).values({ k: 'kept', v: 1 })));
    const conn = await ctx.engine.connect();
    try {
      await conn.begin();
      await conn.execute(insert(kv).values({ k: 'gone', v: 1 }));
      // Inside the transaction its own insert is visible.
      expect(Number(await conn.scalar(select(func.count(kv.c.k)).where(kv.c.k.eq('gone'))))).toBe(1);
      await conn.rollback();
    } finally {
      await conn.close();
    }
    expect(await count('kept')).toBe(1);
    expect(await count('gone')).toBe(0);
  });

  ctx.test('an error thrown in begin() rolls back and is rethrown as is', async () => {
    await clear();
    const boom = new Error('boom');
    await expect(
      ctx.engine.begin(async (c) => {
        await c.execute(insert(kv).values({ k: 'rolled', v: 1 }));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await count('rolled')).toBe(0);
    expect(ctx.engine.pool.checkedOut).toBe(0);
  });

  ctx.requires(['connection.savepoints'], 'savepoints: a failed nested block rolls back alone', async () => {
    await clear();
    await ctx.engine.begin(async (c) => {
      await c.execute(insert(kv).values({ k: 'outer', v: 1 }));
      await expect(
        c.beginNested(async (n) => {
          await n.execute(insert(kv).values({ k: 'inner', v: 2 }));
          await n.execute(insert(kv).values({ k: 'inner', v: 3 }));
        }),
      ).rejects.toBeInstanceOf(UniqueViolation);
      await c.beginNested(async (n) => {
        await n.execute(insert(kv).values({ k: 'nested-ok', v: 4 }));
      });
    });
    expect(await count('outer')).toBe(1);
    expect(await count('inner')).toBe(0);
    expect(await count('nested-ok')).toBe(1);
  });

  ctx.test('a swallowed failure makes the transaction raise PendingRollbackError and persist nothing', async () => {
    await clear();
    await expect(
      ctx.engine.begin(async (c) => {
        await c.execute(insert(kv).values({ k: 'swallow', v: 1 }));
        await c.execute(insert(kv).values({ k: 'swallow', v: 2 })).catch(() => undefined);
        await c.execute(insert(kv).values({ k: 'after', v: 3 }));
      }),
    ).rejects.toBeInstanceOf(PendingRollbackError);
    expect(await count('swallow')).toBe(0);
    expect(await count('after')).toBe(0);
    expect(ctx.engine.pool.checkedOut).toBe(0);
  });

  ctx.requires(['connection.isolationLevels'], 'every declared isolation level is accepted', async () => {
    await clear();
    for (const level of ctx.engine.dialect.capabilities.connection.isolationLevels) {
      await ctx.engine.begin((c) => c.execute(insert(kv).values({ k: level.slice(0, 20), v: 1 })), { isolationLevel: level as any });
      expect(await count(level.slice(0, 20))).toBe(1);
    }
  });

  ctx.test('a read-only transaction refuses writes, writes nothing, and the connection is writable afterwards', async () => {
    await clear();
    await ctx.engine.begin((c) => c.execute(insert(kv).values({ k: 'before', v: 1 })));
    const conn = await ctx.engine.connect();
    try {
      await conn.begin({ readOnly: true });
      // Reads work: the one row committed before.
      expect(Number(await conn.scalar(select(func.count(kv.c.k))))).toBe(1);
      const e = await conn.execute(insert(kv).values({ k: 'ro', v: 1 })).then(
        () => undefined,
        (err: unknown) => err,
      );
      // Each database reports it under its own DB-API class (OperationalError, InternalError...).
      expect(e).toBeInstanceOf(DatabaseError);
      await expect(conn.commit()).rejects.toBeInstanceOf(PendingRollbackError);
      await conn.begin();
      await conn.execute(insert(kv).values({ k: 'after', v: 1 }));
      await conn.commit();
    } finally {
      await conn.close();
    }
    expect(await count('ro')).toBe(0);
    expect(await count('after')).toBe(1);
  });
}
