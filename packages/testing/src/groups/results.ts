import { ArgumentError, Integer, InvalidRequestError, MultipleResultsFound, NoResultFound, bindparam, select, text, update } from '@athanor/core';
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

  ctx.test('conn.first() and conn.scalar(): the first row only, or null', async () => {
    await ctx.reload();
    await ctx.engine.connect(async (c) => {
      expect(await c.first(byId())).toEqual({ id: 1, name: 'ann' });
      expect(await c.first(byId().where(t.users.c.name.eq('zed')))).toBeNull();
      const named = select(t.users.c.name).where(t.users.c.id.eq(bindparam('id', { type: Integer })));
      expect(await c.first(named, { id: 3 })).toEqual({ name: 'cid' });
      expect(await c.first(named, { id: 9 })).toBeNull();
      expect(await c.scalar(byId().orderBy(t.users.c.id.desc()))).toBe(1);
      expect(await c.scalar(select(t.users.c.name).orderBy(t.users.c.id.desc()))).toBe('dee');
      expect(await c.scalar(named, { id: 9 })).toBeNull();
      // Raw SQL: keyed by the database's column names.
      const users = t.users.schema === undefined ? 'cs_users' : `${t.users.schema}.cs_users`;
      expect(await c.first(text(`SELECT name FROM ${users} WHERE id = 2`))).toEqual({ name: 'bob' });
      expect(await c.scalar(text(`SELECT name FROM ${users} ORDER BY id`))).toBe('ann');
      // The same statement runs in full afterwards (the driver's statement was not left mid-read).
      expect((await c.execute(byId())).all()).toHaveLength(4);
    });
  });

  ctx.test('conn.first() refuses what it cannot answer, before running it', async () => {
    await ctx.reload();
    await ctx.engine.connect(async (c) => {
      const rename = update(t.users).values({ name: 'zoe' }).where(t.users.c.id.eq(1));
      await expect(c.first(rename)).rejects.toThrow(InvalidRequestError);
      await expect(c.first(rename)).rejects.toThrow(/returns none: add returning\(\.\.\.\) or use execute\(\)/);
      await expect(c.first(byId(), [{}, {}] as any)).rejects.toThrow(ArgumentError);
      expect(await c.scalar(select(t.users.c.name).where(t.users.c.id.eq(1)))).toBe('ann');
    });
  });
}
