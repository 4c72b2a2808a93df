/** MERGE: an upsert-and-delete from a source table where the database has it; a refusal naming the upsert elsewhere. */
import { UnsupportedCompilationError, delete_, insert, merge, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export function mergeTests(ctx: SuiteContext): void {
  const { prices: target, events } = ctx.t;
  // Source rows: events 1-3 (ids 1, 2, 3). Target: prices with ids 2 and 5.
  const base = { cat: 'x', qty: '1', discount: '0', n: 0 };
  const load = () =>
    ctx.engine.begin(async (c) => {
      await c.execute(delete_(target));
      await c.execute(delete_(events));
      await c.execute(insert(target), [
        { ...base, id: 2, price: '1.00' },
        { ...base, id: 5, price: '5.00' },
      ]);
      await c.execute(insert(events), [1, 2, 3].map((id) => ({ id, day: `2024-0${id}-01`, at: new Date(Date.UTC(2024, 0, id)), atz: new Date(Date.UTC(2024, 0, id)) })));
    });
  const stmt = merge(target)
    .using(events, target.c.id.eq(events.c.id))
    .whenMatchedThenUpdate({ price: '99.50', n: events.c.id })
    .whenNotMatchedThenInsert({ id: events.c.id, cat: 'new', price: 7, qty: '0.5', discount: '0', n: events.c.id.mul(10) });

  ctx.requires(['dml.merge'], 'MERGE updates matched rows and inserts the others', async () => {
    await load();
    await ctx.engine.begin((c) => c.execute(stmt));
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(target.c.id, target.c.cat, target.c.price, target.c.n).orderBy(target.c.id))).all());
    expect(rows).toEqual([
      { id: 1, cat: 'new', price: '7.00', n: 10 },
      { id: 2, cat: 'x', price: '99.50', n: 2 },
      { id: 3, cat: 'new', price: '7.00', n: 30 },
      { id: 5, cat: 'x', price: '5.00', n: 0 },
    ]);
    const gone = merge(target).using(events, target.c.id.eq(events.c.id)).whenMatchedThenDelete({ where: target.c.cat.eq('new') });
    await ctx.engine.begin((c) => c.execute(gone));
    expect(await ctx.engine.connect(async (c) => (await c.execute(select(target.c.id).orderBy(target.c.id))).scalars().all())).toEqual([2, 5]);
  });

  ctx.requires(['!dml.merge'], 'MERGE is refused before sending, naming the upsert to use', async () => {
    await load();
    await expect(ctx.engine.connect((c) => c.execute(stmt))).rejects.toBeInstanceOf(UnsupportedCompilationError);
    await expect(ctx.engine.connect((c) => c.execute(stmt))).rejects.toThrow(/MERGE is not supported by .*(onConflictDoUpdate|onDuplicateKeyUpdate)/);
  });
}
