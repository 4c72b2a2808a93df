import { Integer, and, cast, desc, exists, func, literal, not, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export function selectTests(ctx: SuiteContext): void {
  const { t } = ctx;
  const { users: u, posts: p } = t;
  const all = (stmt: any) => ctx.engine.connect(async (c) => (await c.execute(stmt)).all());

  ctx.test('select: where, join, group by, having, order, limit/offset', async () => {
    await ctx.reload();
    expect(await all(select(u.c.name).where(and(u.c.age.gt(20), u.c.name.like('%n%'))).orderBy(u.c.name))).toEqual([{ name: 'ann' }]);
    const grouped = select(u.c.name, func.count(p.c.id).label('n'), func.sum(p.c.score).label('total'))
      .join(p, u.c.id.eq(p.c.userId))
      .groupBy(u.c.name)
      .having(func.count(p.c.id).gt(1))
      .orderBy(desc('n'), u.c.name);
    const rows = (await all(grouped)).map((r: any) => ({ name: r.name, n: Number(r.n), total: Number(r.total) }));
    expect(rows).toEqual([
      { name: 'ann', n: 2, total: 30 },
      { name: 'dee', n: 2, total: 8 },
    ]);
    expect(await all(select(u.c.id).orderBy(u.c.id).limit(2).offset(1))).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await all(select(u.c.name).outerJoin(p, u.c.id.eq(p.c.userId)).where(p.c.id.isNull()))).toEqual([{ name: 'cid' }]);
  });

  ctx.test('outer join: the unmatched right side is null, as its row type (string | null) says', async () => {
    await ctx.reload();
    const stmt = select(u.c.name, p.c.title).outerJoin(p, u.c.id.eq(p.c.userId)).where(u.c.name.in(['bob', 'cid'])).orderBy(u.c.name, p.c.title);
    const rows: { name: string; title: string | null }[] = await ctx.engine.connect(async (c) => (await c.execute(stmt)).all());
    expect(rows).toEqual([
      { name: 'bob', title: 'b1' },
      { name: 'cid', title: null },
    ]);
  });

  ctx.requires(['select.fullOuterJoin'], 'full outer join: unmatched rows of either side come back with nulls', async () => {
    await ctx.reload();
    // Only bob's post matches: the other users and the other posts appear with the other side null.
    const stmt = select(u.c.name, p.c.title).fullJoin(p, and(u.c.id.eq(p.c.userId), u.c.name.eq('bob')));
    const rows: { name: string | null; title: string | null }[] = await ctx.engine.connect(async (c) => (await c.execute(stmt)).all());
    const key = (r: { name: string | null; title: string | null }) => `${r.name ?? '-'}/${r.title ?? '-'}`;
    expect(rows.map(key).sort()).toEqual(['-/a1', '-/a2', '-/d1', '-/d2', 'ann/-', 'bob/b1', 'cid/-', 'dee/-']);
  });

  ctx.test('CTE: plain', async () => {
    await ctx.reload();
    const busy = select(p.c.userId, func.count(p.c.id).label('n')).groupBy(p.c.userId).cte('busy');
    const rows = await all(select(u.c.name).join(busy, busy.c.userId.eq(u.c.id)).where(busy.c.n.ge(2)).orderBy(u.c.name));
    expect(rows).toEqual([{ name: 'ann' }, { name: 'dee' }]);
  });

  ctx.requires(['select.recursiveCte'], 'CTE: recursive', async () => {
    const { tree } = t;
    await ctx.engine.begin(async (c) => {
      await c.execute(tree.delete());
      await c.execute(tree.insert(), [
        { id: 1, parentId: null },
        { id: 2, parentId: 1 },
        { id: 3, parentId: 2 },
        { id: 4, parentId: 3 },
        { id: 5, parentId: null },
      ]);
    });
    const base = select(tree.c.id, cast(literal(0), Integer).label('depth')).where(tree.c.id.eq(1)).cte('walk', { recursive: true });
    const walk = base.unionAll(select(tree.c.id, base.c.depth.add(1)).join(base, tree.c.parentId.eq(base.c.id)));
    const rows = await all(select(walk.c.id, walk.c.depth).orderBy(walk.c.id));
    expect(rows.map((r: any) => [r.id, Number(r.depth)])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
  });

  ctx.test('set operations: union, union all, intersect, except', async () => {
    await ctx.reload();
    const a = select(u.c.id).where(u.c.id.le(3));
    const b = select(u.c.id).where(u.c.id.ge(2));
    const ids = async (stmt: any) => (await all(stmt)).map((r: any) => r.id).sort();
    expect(await ids(a.union(b))).toEqual([1, 2, 3, 4]);
    expect(await ids(a.unionAll(b))).toEqual([1, 2, 2, 3, 3, 4]);
    expect(await ids(a.intersect(b))).toEqual([2, 3]);
    expect(await ids(a.except(b))).toEqual([1]);
  });

  ctx.requires(['select.intersectExceptAll'], 'set operations: intersect all, except all', async () => {
    await ctx.reload();
    const a = select(p.c.userId.label('id')).where(p.c.userId.ne(2));
    const b = select(u.c.id).where(u.c.id.ge(1));
    const ids = async (stmt: any) => (await all(stmt)).map((r: any) => r.id).sort();
    expect(await ids(a.intersectAll(b))).toEqual([1, 4]);
    expect(await ids(a.exceptAll(b))).toEqual([1, 4]);
  });

  ctx.requires(['select.windowFunctions'], 'window functions: row_number and running sum', async () => {
    await ctx.reload();
    const stmt = select(
      p.c.id,
      func.row_number().over({ partitionBy: p.c.userId, orderBy: p.c.id }).label('rn'),
      func.sum(p.c.score).over({ partitionBy: p.c.userId, orderBy: p.c.id, rows: [null, 0] }).label('running'),
    ).orderBy(p.c.id);
    const rows = (await all(stmt)).map((r: any) => [r.id, Number(r.rn), Number(r.running)]);
    expect(rows).toEqual([
      [1, 1, 10],
      [2, 2, 30],
      [3, 1, 5],
      [4, 1, 7],
      [5, 2, 8],
    ]);
  });

  ctx.test('subqueries: scalar, correlated, exists, derived table', async () => {
    await ctx.reload();
    const maxScore = select(func.max(p.c.score)).scalarSubquery();
    expect(await all(select(p.c.title).where(p.c.score.eq(maxScore)))).toEqual([{ title: 'a2' }]);
    const postCount = select(func.count(p.c.id)).where(p.c.userId.eq(u.c.id)).scalarSubquery();
    const counts = (await all(select(u.c.name, postCount.label('n')).orderBy(u.c.id))).map((r: any) => [r.name, Number(r.n)]);
    expect(counts).toEqual([
      ['ann', 2],
      ['bob', 1],
      ['cid', 0],
      ['dee', 2],
    ]);
    const withPosts = await all(select(u.c.name).where(exists(select(p.c.id).where(p.c.userId.eq(u.c.id)))).orderBy(u.c.name));
    expect(withPosts).toEqual([{ name: 'ann' }, { name: 'bob' }, { name: 'dee' }]);
    const without = await all(select(u.c.name).where(not(exists(select(p.c.id).where(p.c.userId.eq(u.c.id))))).orderBy(u.c.name));
    expect(without).toEqual([{ name: 'cid' }]);
    const sq = select(p.c.userId, func.max(p.c.score).label('best')).groupBy(p.c.userId).subquery('sq');
    const best = (await all(select(u.c.name, sq.c.best).join(sq, sq.c.userId.eq(u.c.id)).orderBy(u.c.name))).map((r: any) => [r.name, Number(r.best)]);
    expect(best).toEqual([
      ['ann', 20],
      ['bob', 5],
      ['dee', 7],
    ]);
  });

  ctx.requires(['select.lateral'], 'subqueries: lateral', async () => {
    await ctx.reload();
    const top = select(p.c.title).where(p.c.userId.eq(u.c.id)).orderBy(desc(p.c.score)).limit(1).lateral('top');
    const rows = await all(select(u.c.name, top.c.title).join(top, literal(true)).orderBy(u.c.name));
    expect(rows).toEqual([
      { name: 'ann', title: 'a2' },
      { name: 'bob', title: 'b1' },
      { name: 'dee', title: 'd1' },
    ]);
  });
}
