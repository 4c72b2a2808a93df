import { delete_, func, insert, select, update } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export function dmlTests(ctx: SuiteContext): void {
  const { t } = ctx;
  const kvRows = () => ctx.engine.connect(async (c) => (await c.execute(select(t.kv.c.k, t.kv.c.v).orderBy(t.kv.c.k))).all());
  const clearKv = () => ctx.engine.connect((c) => c.execute(delete_(t.kv)));

  ctx.test('insert: single row, rowcount 1', async () => {
    await clearKv();
    const r = await ctx.engine.begin((c) => c.execute(insert(t.kv).values({ k: 'one', v: 1 })));
    expect(r.rowcount).toBe(1);
    expect(await kvRows()).toEqual([{ k: 'one', v: 1 }]);
  });

  ctx.test('insert: executemany with a list of parameter sets', async () => {
    await clearKv();
    const r = await ctx.engine.begin((c) =>
      c.execute(insert(t.kv), [
        { k: 'a', v: 1 },
        { k: 'b', v: null },
        { k: 'c', v: 3 },
      ]),
    );
    expect(r.rowcount).toBe(3);
    expect(await kvRows()).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: null },
      { k: 'c', v: 3 },
    ]);
  });

  ctx.requires(['dml.multiRowInsert'], 'insert: multi-row VALUES', async () => {
    await clearKv();
    const r = await ctx.engine.begin((c) =>
      c.execute(
        insert(t.kv).values([
          { k: 'x', v: 10 },
          { k: 'y', v: 20 },
        ]),
      ),
    );
    expect(r.rowcount).toBe(2);
    expect(await kvRows()).toEqual([
      { k: 'x', v: 10 },
      { k: 'y', v: 20 },
    ]);
  });

  ctx.test('insert: fromSelect copies rows', async () => {
    await ctx.reload();
    await clearKv();
    await ctx.engine.begin((c) => c.execute(insert(t.kv).fromSelect(['k', 'v'], select(t.users.c.name, t.users.c.age).where(t.users.c.age.isNotNull()))));
    expect(await kvRows()).toEqual([
      { k: 'ann', v: 30 },
      { k: 'bob', v: 25 },
      { k: 'dee', v: 41 },
    ]);
  });

  ctx.requires(['dml.returning.insert'], 'insert: returning', async () => {
    await clearKv();
    const r = await ctx.engine.begin(async (c) => (await c.execute(insert(t.kv).values({ k: 'ret', v: 7 }).returning(t.kv.c.k, t.kv.c.v.add(1).label('next')))).all());
    expect(r).toEqual([{ k: 'ret', next: 8 }]);
  });

  ctx.test('update: rowcount is the number of matched rows, even when values do not change', async () => {
    await ctx.reload();
    const r = await ctx.engine.begin((c) => c.execute(update(t.users).values({ age: 30 }).where(t.users.c.id.in([1, 2]))));
    // ann already has age 30: MySQL reports "changed" rows unless the dialect asks for found rows.
    expect(r.rowcount).toBe(2);
    const ages = await ctx.engine.connect(async (c) => (await c.execute(select(t.users.c.age).where(t.users.c.id.in([1, 2])).orderBy(t.users.c.id))).scalars().all());
    expect(ages).toEqual([30, 30]);
    const none = await ctx.engine.begin((c) => c.execute(update(t.users).values({ age: 1 }).where(t.users.c.id.eq(99))));
    expect(none.rowcount).toBe(0);
  });

  ctx.requires(['dml.returning.update'], 'update: returning', async () => {
    await ctx.reload();
    const r = await ctx.engine.begin(async (c) => (await c.execute(update(t.users).values({ age: t.users.c.age.add(1) }).where(t.users.c.name.eq('bob')).returning(t.users.c.id, t.users.c.age))).all());
    expect(r).toEqual([{ id: 2, age: 26 }]);
  });

  ctx.test('delete: rowcount', async () => {
    await ctx.reload();
    const r = await ctx.engine.begin((c) => c.execute(delete_(t.posts).where(t.posts.c.userId.eq(4))));
    expect(r.rowcount).toBe(2);
    const left = await ctx.engine.connect(async (c) => (await c.execute(select(t.posts.c.id).orderBy(t.posts.c.id))).scalars().all());
    expect(left).toEqual([1, 2, 3]);
  });

  ctx.requires(['dml.returning.delete'], 'delete: returning', async () => {
    await ctx.reload();
    const r = await ctx.engine.begin(async (c) => (await c.execute(delete_(t.posts).where(t.posts.c.score.lt(6)).returning(t.posts.c.title))).scalars().all());
    expect([...r].sort()).toEqual(['b1', 'd2']);
  });

  ctx.test('executemany of 5,000 rows is batched within maxParams', async () => {
    await ctx.engine.connect((c) => c.execute(delete_(t.nums)));
    const rows = Array.from({ length: 5000 }, (_, i) => ({ n: i + 1, label: `n${i + 1}` }));
    const r = await ctx.engine.begin((c) => c.execute(insert(t.nums), rows));
    expect(r.rowcount).toBe(5000);
    const got = await ctx.engine.connect(async (c) => (await c.execute(select(func.count(t.nums.c.n).label('c'), func.sum(t.nums.c.n).label('s')))).one());
    expect(Number(got.c)).toBe(5000);
    expect(Number(got.s)).toBe((5000 * 5001) / 2);
  }, 60_000);

  ctx.test('streaming with a small chunk size returns every row', async () => {
    await ctx.engine.connect((c) => c.execute(delete_(t.nums)));
    await ctx.engine.begin((c) => c.execute(insert(t.nums), Array.from({ length: 25 }, (_, i) => ({ n: i + 1, label: null }))));
    const got: number[] = [];
    await ctx.engine.connect(async (c) => {
      for await (const row of c.stream(select(t.nums.c.n).orderBy(t.nums.c.n), undefined, { chunkSize: 4 })) got.push(row.n);
    });
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(ctx.engine.pool.checkedOut).toBe(0);
  });

  ctx.test('empty in() matches nothing and empty notIn() matches everything', async () => {
    await ctx.reload();
    await ctx.engine.connect(async (c) => {
      expect((await c.execute(select(t.users.c.id).where(t.users.c.id.in([])))).all()).toEqual([]);
      expect((await c.execute(select(t.users.c.id).where(t.users.c.id.notIn([])).orderBy(t.users.c.id))).scalars().all()).toEqual([1, 2, 3, 4]);
    });
  });

  const big = Array.from({ length: 100_000 }, (_, i) => i + 1);
  ctx.requires(['inList.large'], 'a 100k-element in() list returns the matching rows', async () => {
    await ctx.reload();
    const ids = await ctx.engine.connect(async (c) => (await c.execute(select(t.users.c.id).where(t.users.c.id.in(big)).orderBy(t.users.c.id))).scalars().all());
    expect(ids).toEqual([1, 2, 3, 4]);
  }, 60_000);
}
