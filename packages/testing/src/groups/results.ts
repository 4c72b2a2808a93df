import {
  ArgumentError,
  Integer,
  InvalidRequestError,
  MultipleResultsFound,
  NoResultFound,
  ResourceClosedError,
  String,
  TypeDecorator,
  bindparam,
  delete_,
  insert,
  select,
  text,
  typeCoerce,
  update,
} from '@athanor/core';
import { expect } from '../runner';
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
      // one() consumed it (as in SQLAlchemy): reading every row now is refused, not answered in part.
      expect(() => many.all()).toThrow(ResourceClosedError);
      expect(() => many.scalars()).toThrow(/consumed by one\(\)/);
      const fresh = await c.execute(byId());
      expect(() => fresh.scalars().one()).toThrow(MultipleResultsFound);
    });
  });

  ctx.test('one() and oneOrNone() on zero, one and two rows: by primary key, by unique column, by any filter', async () => {
    await ctx.reload();
    const u = t.users.c;
    const cols = [u.id, u.name] as const;
    const byId = select(...cols).where(u.id.eq(bindparam('id', { type: Integer })));
    const byName = select(...cols).where(u.name.eq(bindparam('name', { type: String(50) })));
    const olderThan = select(...cols).where(u.age.gt(bindparam('age', { type: Integer }))).orderBy(u.id);
    // USERS: ann 30, bob 25, cid no age, dee 41.
    const ann = { id: 1, name: 'ann' };
    const bob = { id: 2, name: 'bob' };
    const dee = { id: 4, name: 'dee' };
    await ctx.engine.connect(async (c) => {
      // Twice: an execution reads rows as the statement's previous Result was read.
      for (let round = 0; round < 2; round++) {
        expect((await c.execute(byId, { id: 2 })).one()).toEqual(bob);
        expect((await c.execute(byId, { id: 2 })).oneOrNone()).toEqual(bob);
        expect((await c.execute(byId, { id: 9 })).oneOrNone()).toBeNull();
        await expect(c.execute(byId, { id: 9 }).then((r) => r.one())).rejects.toThrow(NoResultFound);
        expect((await c.execute(byName, { name: 'dee' })).one()).toEqual(dee);
        expect((await c.execute(byName, { name: 'zed' })).oneOrNone()).toBeNull();

        await expect(c.execute(olderThan, { age: 50 }).then((r) => r.one())).rejects.toThrow(NoResultFound);
        expect((await c.execute(olderThan, { age: 50 })).oneOrNone()).toBeNull();
        expect((await c.execute(olderThan, { age: 40 })).one()).toEqual(dee);
        expect((await c.execute(olderThan, { age: 40 })).oneOrNone()).toEqual(dee);
        const two = await c.execute(olderThan, { age: 26 });
        expect(() => two.one()).toThrow(MultipleResultsFound);
        expect(() => two.oneOrNone()).toThrow(MultipleResultsFound);
        // Consumed by one(): the first row can be asked for again, every row no more.
        expect(two.first()).toEqual(ann);
        expect(two.scalar()).toBe(1);
        expect(() => two.all()).toThrow(ResourceClosedError);
        const again = await c.execute(olderThan, { age: 26 });
        expect(again.all()).toEqual([ann, dee]);
        expect(again.rowcount).toBe(2);
        expect(() => again.one()).toThrow(MultipleResultsFound);
        expect((await c.execute(olderThan, { age: 26 })).scalars().all()).toEqual([1, 4]);
        expect([...(await c.execute(olderThan, { age: 20 }))]).toEqual([ann, bob, dee]);
      }
    });
  });

  ctx.test('one() raises MultipleResultsFound without reading a large result to its end', async () => {
    const n = 5000;
    await ctx.engine.connect((c) => c.execute(delete_(t.nums)));
    await ctx.engine.begin((c) => c.execute(insert(t.nums), Array.from({ length: n }, (_, i) => ({ n: i + 1, label: `n${i + 1}` }))));
    // A result step that counts the values it turns into the row's value.
    let processed = 0;
    const Counted = new TypeDecorator(Integer, {
      processResult: (v: number) => {
        processed++;
        return v;
      },
    });
    const q = select(typeCoerce(t.nums.c.n, Counted).label('n'), t.nums.c.label).orderBy(t.nums.c.n);
    await ctx.engine.connect(async (c) => {
      for (let round = 0; round < 2; round++) {
        processed = 0;
        const r = await c.execute(q);
        expect(() => r.one()).toThrow(MultipleResultsFound);
        expect(() => r.one()).toThrow(/more than 2|5000/);
        expect(processed).toBe(0);
        expect(r.first()).toEqual({ n: 1, label: 'n1' });
        expect(processed).toBe(1);
        expect(() => r.all()).toThrow(ResourceClosedError);
        // Read to the end only when asked.
        processed = 0;
        const all = (await c.execute(q)).all();
        expect(all).toHaveLength(n);
        expect(all[n - 1]).toEqual({ n, label: `n${n}` });
        expect(processed).toBe(n);
      }
    });
    await ctx.engine.connect((c) => c.execute(delete_(t.nums)));
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
