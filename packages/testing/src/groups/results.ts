import { MultipleResultsFound, NoResultFound, select } from '@athanor/core';
import { expect } from '@jest/globals';
import type { SuiteContext } from '../context';

export function resultTests(ctx: SuiteContext): void {
  const { t } = ctx;
  const byId = () => select(t.users.c.id, t.users.c.name).orderBy(t.users.c.id);
  const run = <R>(fn: (r: any) => R) => ctx.engine.connect(async (c) => fn(await c.execute(byId())));

  ctx.test('all, first, keys, mappings', async () => {
    await ctx.reload();
    expect(await run((r) => r.all())).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
      { id: 3, name: 'cid' },
      { id: 4, name: 'dee' },
    ]);
    expect(await run((r) => r.first())).toEqual({ id: 1, name: 'ann' });
    expect(await run((r) => r.keys())).toEqual(['id', 'name']);
    expect(await run((r) => r.mappings()[3])).toEqual({ id: 4, name: 'dee' });
  });

  ctx.test('one, oneOrNone, scalar, scalars', async () => {
    await ctx.reload();
    const q = (name: string) => select(t.users.c.id).where(t.users.c.name.eq(name));
    await ctx.engine.connect(async (c) => {
      expect((await c.execute(q('bob'))).one()).toEqual({ id: 2 });
      expect((await c.execute(q('zed'))).oneOrNone()).toBeNull();
      expect((await c.execute(q('zed'))).first()).toBeNull();
      expect((await c.execute(q('dee'))).scalar()).toBe(4);
      expect((await c.execute(q('zed'))).scalar()).toBeNull();
      expect((await c.execute(byId())).scalars().all()).toEqual([1, 2, 3, 4]);
      expect(await c.scalar(q('ann'))).toBe(1);
    });
  });

  ctx.test('one() raises NoResultFound and MultipleResultsFound', async () => {
    await ctx.reload();
    await ctx.engine.connect(async (c) => {
      const none = await c.execute(select(t.users.c.id).where(t.users.c.name.eq('zed')));
      expect(() => none.one()).toThrow(NoResultFound);
      const many = await c.execute(byId());
      expect(() => many.one()).toThrow(MultipleResultsFound);
      expect(() => many.oneOrNone()).toThrow(MultipleResultsFound);
      expect(() => many.scalars().one()).toThrow(MultipleResultsFound);
    });
  });
}
